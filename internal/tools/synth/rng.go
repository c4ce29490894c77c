package synth

import "math/rand/v2"

// rng is the one source of randomness of a report; every choice goes through
// it, so a report depends only on its seed and number.
type rng struct{ *rand.Rand }

func newRNG(seed int64, n int) *rng {
	return &rng{rand.New(rand.NewPCG(uint64(seed), uint64(n)*0x9e3779b97f4a7c15+1))}
}

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func pick[T any](r *rng, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted returns an index drawn by the weights.
func (r *rng) weighted(ws ...float64) int {
	s := 0.0
	for _, w := range ws {
		s += w
	}
	x := r.Float64() * s
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// sample returns k distinct elements of xs in random order.
func sample[T any](r *rng, xs []T, k int) []T {
	k = min(k, len(xs))
	idx := r.Perm(len(xs))[:k]
	out := make([]T, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}
