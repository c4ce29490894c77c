//go:build !linux

package index

// adviseRandom does nothing where /proc/self/maps does not list mappings.
func adviseRandom(string) (int, error) { return 0, nil }
