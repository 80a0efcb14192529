package content

import "testing"

// TestEmbeddedContentValid is the writers' check: every rule of Load holds
// for the lessons and catalogue that ship in the binary.
func TestEmbeddedContentValid(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Lessons) < 20 {
		t.Errorf("%d lessons, want at least 20", len(lib.Lessons))
	}
	if len(lib.Paths) < 3 {
		t.Errorf("%d learning paths, want at least 3", len(lib.Paths))
	}
	inPath := map[string]bool{}
	for _, p := range lib.Paths {
		for _, s := range p.Lessons {
			inPath[s] = true
		}
	}
	for _, l := range lib.Lessons {
		if !inPath[l.Slug] {
			t.Errorf("lesson %s is in no learning path", l.Slug)
		}
	}
}
