package fecshop

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"orderdesk/backend/internal/adapt"
)

// variantOf renders the item's options as "key:value / key:value": the
// spu_options object in the shop's key order, then custom_option_info keys
// not already shown. null, [] and {} mean no options.
func variantOf(spu, custom json.RawMessage) (string, error) {
	pairs, err := optionPairs(spu)
	if err != nil {
		return "", &adapt.FieldError{Field: "spu_options", Err: err}
	}
	more, err := optionPairs(custom)
	if err != nil {
		return "", &adapt.FieldError{Field: "custom_option_info", Err: err}
	}
	seen := map[string]bool{}
	for _, p := range pairs {
		seen[p[0]] = true
	}
	for _, p := range more {
		if !seen[p[0]] {
			pairs = append(pairs, p)
		}
	}
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p[0] + ":" + p[1]
	}
	return strings.Join(parts, " / "), nil
}

var errNotObject = errors.New("not an object of options")

// optionPairs reads an object's members in document order; scalar values
// as text, nested values as compact JSON.
func optionPairs(raw json.RawMessage) ([][2]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return nil, nil
	}
	if raw[0] == '[' {
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil || len(arr) > 0 {
			return nil, errNotObject
		}
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, errNotObject
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out [][2]string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, [2]string{key, optionValue(v)})
	}
	return out, nil
}

func optionValue(v json.RawMessage) string {
	var f adapt.Flex
	if f.UnmarshalJSON(v) == nil {
		return string(f)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) != nil {
		return string(v)
	}
	return buf.String()
}
