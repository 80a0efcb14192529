package assessments

import "testing"

// TestProtectedCubeCache: the same results give the same protected table
// without protecting it again; a result changed gives another.
func TestProtectedCubeCache(t *testing.T) {
	rs := []Response{{ID: "1", Area: "a", Sector: "G", SizeClass: "micro", Level: 2}, {ID: "2", Area: "b", Sector: "G", SizeClass: "micro", Level: 3}}
	key := func(r *Response) string { return r.Area }
	areas, sectors, sizes := []string{"a", "b"}, []string{"G"}, []string{"micro"}
	first := protectedCube(rs, areas, key, sectors, sizes)
	if again := protectedCube(rs, areas, key, sectors, sizes); again != first {
		t.Error("the same results were protected again")
	}
	rs[1].Level = 4
	changed := protectedCube(rs, areas, key, sectors, sizes)
	if changed == first {
		t.Fatal("a changed level gave the table of before")
	}
	if changed.count[figure{1, 0, 0, 4}] != 1 {
		t.Errorf("the new table does not count the new level")
	}
}
