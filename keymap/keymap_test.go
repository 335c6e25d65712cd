package keymap

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestDefaultsHaveNoCollisionsAndAllShowInHelp(t *testing.T) {
	k := Default()
	if p := k.collisions(); len(p) > 0 {
		t.Fatal(p)
	}
	inHelp := map[string]bool{}
	for _, col := range k.FullHelp() {
		for _, b := range col {
			inHelp[b.Help().Desc] = true
		}
	}
	for _, a := range Actions() {
		if !inHelp[a.Help] {
			t.Errorf("%s is not in the help", a.Name)
		}
		if len(a.field(&k).Keys()) == 0 {
			t.Errorf("%s has no key", a.Name)
		}
	}
}

func TestApplyOverrides(t *testing.T) {
	k, probs := Apply(map[string][]string{"ship": {"p", "ctrl+p"}, "quit": {"Q"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if got := k.Ship.Keys(); strings.Join(got, ",") != "p,ctrl+p" || k.Ship.Help().Key != "p/ctrl+p" {
		t.Fatalf("ship keys %v help %q", got, k.Ship.Help().Key)
	}
	if !key.Matches(keyString("Q"), k.Quit) || key.Matches(keyString("q"), k.Quit) {
		t.Fatal("quit not rebound")
	}
}

type keyString string

func (k keyString) String() string { return string(k) }

func TestApplyReportsEveryProblem(t *testing.T) {
	cases := []struct {
		in   map[string][]string
		want string
	}{
		{map[string][]string{"shipp": {"x"}}, "no such action"},
		{map[string][]string{"ship": {}}, "at least one key"},
		{map[string][]string{"ship": {" "}}, `"space"`},
		{map[string][]string{"ship": {"hyper+x"}}, "unknown modifier"},
		{map[string][]string{"ship": {"shipit"}}, "not a key name"},
		{map[string][]string{"ship": {"t"}}, `"t" is already bound to`},
		{map[string][]string{"export": {"I"}}, `keys.export: "I" is already bound to import`},
	}
	for _, c := range cases {
		_, probs := Apply(c.in)
		if len(probs) == 0 || !strings.Contains(probs[0].Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.in, probs, c.want)
		}
	}
	// a key moved away from its default is free for another action
	if _, probs := Apply(map[string][]string{"ship": {"t"}, "status": {"T"}}); len(probs) > 0 {
		t.Errorf("swap reported %v", probs)
	}
}

func TestImportAndExportKeys(t *testing.T) {
	k := Default()
	if !key.Matches(keyString("I"), k.Import) || !key.Matches(keyString("X"), k.Export) {
		t.Fatal("import is not I or export is not X")
	}
	if k.Import.Help().Desc != "import tracking (CSV)" || k.Export.Help().Desc != "export view to CSV" {
		t.Fatalf("help %q / %q", k.Import.Help().Desc, k.Export.Help().Desc)
	}
	k, probs := Apply(map[string][]string{"import": {"ctrl+o"}, "export": {"E"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if !key.Matches(keyString("ctrl+o"), k.Import) || key.Matches(keyString("I"), k.Import) || !key.Matches(keyString("E"), k.Export) {
		t.Fatal("import/export not rebound")
	}
}
