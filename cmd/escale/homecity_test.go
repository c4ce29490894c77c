package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"escale/internal/mission"
)

// TestHomeCityReachesChild checks that the home city given by flag or
// environment is handed to the child, the flag first.
func TestHomeCityReachesChild(t *testing.T) {
	t.Setenv(fakeEnv, "args")
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--home-city", "Lyon"}, nil, workerCommand + " --home-city Lyon"},
		{nil, map[string]string{"ESCALE_HOME_CITY": "Montréal"}, workerCommand + " --home-city Montréal"},
		{[]string{"--home-city", "Sherbrooke"}, map[string]string{"ESCALE_HOME_CITY": "Montréal"}, workerCommand + " --home-city Sherbrooke"},
	}
	for _, tt := range tests {
		args := append(append([]string{"--json"}, tt.args...), path)
		code, stdout, stderr := runExtractCmd(t, tt.env, args...)
		var m mission.Mission
		if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil {
			t.Fatalf("extract %v (env %v) = exit %d, stderr %q; want a record", args, tt.env, code, stderr)
		}
		if m.Text != tt.want {
			t.Errorf("extract %v (env %v): child started with %q, want %q", args, tt.env, m.Text, tt.want)
		}
	}
}

// TestHomeCityIsNoDestination extracts a report that names the city it is
// written from in its title: set as the home city, it is no destination.
func TestHomeCityIsNoDestination(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.txt")
	report := "Mission de la Ville de Lyon au Québec\n\nMontréal, du 2 au 4 mai 2022\n\nObjectifs\n\n- Rencontrer la Ville de Montréal.\n"
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runExtractCmd(t, map[string]string{"ESCALE_HOME_CITY": "Lyon"}, "--json", path)
	var m mission.Mission
	if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil {
		t.Fatalf("extract with ESCALE_HOME_CITY=Lyon = exit %d, stderr %q; want a record", code, stderr)
	}
	var got []string
	for _, d := range m.Destinations {
		got = append(got, d.City)
	}
	if strings.Join(got, "|") != "Montréal" {
		t.Errorf("extract with ESCALE_HOME_CITY=Lyon: destinations %q, want [Montréal]", got)
	}
}

// TestHomeCityUnknown checks that a home city the gazetteer does not know is
// refused at start, naming it.
func TestHomeCityUnknown(t *testing.T) {
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	code, stdout, stderr := runExtractCmd(t, nil, "--json", "--home-city", "Villebrune-sur-Mer", path)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Villebrune-sur-Mer") {
		t.Errorf("extract --home-city Villebrune-sur-Mer = exit %d, stdout %q, stderr %q; want exit 2 naming the city", code, stdout, stderr)
	}
}
