package backend

import "testing"

func TestPersonName(t *testing.T) {
	for _, c := range []struct{ first, last, want string }{
		{"John", "Smith", "John Smith"},
		{"地虎", "赵", "赵地虎"},
		{"花子", "佐藤", "佐藤花子"},
		{"민수", "김", "김민수"},
		{"赵地虎", "5454", "赵地虎 5454"}, // seed 000: the last name is not East Asian
		{"John", "王", "John 王"},
		{"", "王", "王"},
		{" María ", "García ", "María García"},
		{"", "", ""},
		{"محمد", "علي", "محمد علي"},
	} {
		if got := PersonName(c.first, c.last); got != c.want {
			t.Errorf("PersonName(%q, %q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}
