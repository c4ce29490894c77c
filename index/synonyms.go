package index

import "slices"

// thesaurus holds groups of equivalent expressions (Options.Synonyms) as
// the French analyzer reads them, so that a query word meets a member of
// its group as it meets itself: « dechets » is « déchets ».
type thesaurus struct {
	groups [][]synonym            // group -> member
	first  map[string][]synonymAt // a member's first stem -> where it is
}

// synonym is a member of a group: its stems as a query writes them, and
// the distinct stems a document holds it by (rankQuery.synonymLists).
type synonym struct {
	seq   []string
	stems []string // sorted, each once
}

type synonymAt struct{ group, member int }

func (ix *Index) newThesaurus(groups [][]string) *thesaurus {
	t := &thesaurus{first: map[string][]synonymAt{}}
	for _, g := range groups {
		var members []synonym
		for _, m := range g {
			var seq []string
			for _, tok := range ix.fr.Analyze([]byte(m)) {
				seq = append(seq, string(tok.Term))
			}
			if len(seq) > 0 {
				members = append(members, synonym{seq: seq, stems: slices.Compact(slices.Sorted(slices.Values(seq)))})
			}
		}
		if len(members) < 2 {
			continue
		}
		gi := len(t.groups)
		t.groups = append(t.groups, members)
		for mi, m := range members {
			t.first[m.seq[0]] = append(t.first[m.seq[0]], synonymAt{gi, mi})
		}
	}
	return t
}

// maxSynonyms bounds the synonyms one query word looks for (the first of
// its groups' members, in the file's order): each costs posting lists.
const maxSynonyms = 8

// expand gives each of words (a query's free words, in order) the other
// members of every group one of whose members the query writes, as words
// in a row that hold it.
func (t *thesaurus) expand(words []word) {
	if t == nil {
		return
	}
	for i, w := range words {
		for _, at := range t.first[w.stem] {
			members := t.groups[at.group]
			m := members[at.member].seq
			if i+len(m) > len(words) || !slices.EqualFunc(m, words[i:i+len(m)], func(st string, w word) bool { return st == w.stem }) {
				continue
			}
			for k := i; k < i+len(m); k++ {
				for mi, other := range members {
					if mi != at.member && len(words[k].syns) < maxSynonyms && !slices.ContainsFunc(words[k].syns, func(s []string) bool { return slices.Equal(s, other.stems) }) {
						words[k].syns = append(words[k].syns, other.stems)
					}
				}
			}
		}
	}
}
