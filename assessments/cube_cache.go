package assessments

import (
	"crypto/sha256"
	"strconv"
	"sync"
)

// Protecting the table costs about a second per 3,000 businesses, and
// every page and download of the figures needs it, whatever its filter.
// The protected table depends only on the results counted, so the last
// few are kept, by a hash of everything they were made from; a result
// sent, retaken or withdrawn makes another.
var cubes struct {
	sync.Mutex
	recent []cachedCube // newest last
}

type cachedCube struct {
	key [sha256.Size]byte
	c   *cube
}

// keptCubes bounds the tables kept (each a few MB for 10,000 businesses).
const keptCubes = 2

// protectedCube returns the protected table of rs, from the cache when the
// same results were protected before. Its figures are only read after.
func protectedCube(rs []Response, areaKeys []string, areaKey func(*Response) string, sectors, sizes []string) *cube {
	h := sha256.New()
	for _, list := range [][]string{areaKeys, sectors, sizes} {
		for _, k := range list {
			h.Write([]byte(k))
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	for i := range rs {
		r := &rs[i]
		h.Write([]byte(areaKey(r)))
		h.Write([]byte{0})
		h.Write([]byte(r.Sector))
		h.Write([]byte{0})
		h.Write([]byte(r.SizeClass))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(r.Level)))
		h.Write([]byte{1})
	}
	var key [sha256.Size]byte
	copy(key[:], h.Sum(nil))
	cubes.Lock()
	defer cubes.Unlock()
	for _, e := range cubes.recent {
		if e.key == key {
			return e.c
		}
	}
	c := newCube(rs, areaKeys, areaKey, sectors, sizes)
	cubes.recent = append(cubes.recent, cachedCube{key: key, c: c})
	if len(cubes.recent) > keptCubes {
		cubes.recent = cubes.recent[1:]
	}
	return c
}
