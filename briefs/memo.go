package briefs

import "sync"

// memo is a map an Answerer keeps of what it worked out from the index:
// kept while the index stays at one generation (gen; 0 for what does not
// depend on the index), and started again empty when an entry would take
// it past its bound. Safe for concurrent use; the zero value is empty.
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	gen uint64
	m   map[K]V
}

// get returns k's value, if the memo has one for generation gen.
func (c *memo[K, V]) get(gen uint64, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.m, c.gen = nil, gen
	}
	v, ok := c.m[k]
	return v, ok
}

// put keeps k's value, worked out after a get at generation gen, unless
// a get has seen the index move on since; the memo holds at most bound
// entries.
func (c *memo[K, V]) put(gen uint64, k K, v V, bound int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) >= bound {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}
