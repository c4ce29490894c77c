package gazetteer

import "iter"

// All yields every city in file order. Tools that sample destinations (the
// synthetic archive generator) need the whole list, not a lookup.
func (g *Gazetteer) All() iter.Seq[City] {
	return func(yield func(City) bool) {
		for i := range g.nCities {
			if !yield(g.city(i)) {
				return
			}
		}
	}
}
