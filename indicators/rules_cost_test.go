package indicators

import (
	"strings"
	"testing"
)

// TestRuleCheckerCost: a file of 50,000 reports is checked against up to
// MaxRules rules of many terms, so checking one report parses nothing and
// allocates nothing when it breaks no rule (each rule was parsed for
// every report: 100 rules on 50,000 rows took over a minute of CPU).
func TestRuleCheckerCost(t *testing.T) {
	codes := map[string]int64{}
	var names []string
	for i := range 9 {
		c := "CODE_" + string(rune('A'+i))
		codes[c] = int64(i + 1)
		names = append(names, c)
	}
	side := strings.Join(append(names, names[:3]...), " + ")
	var rules []Rule
	for range MaxRules {
		rules = append(rules, Rule{Left: side, Op: "<=", Right: side})
	}
	rules = append(rules, Rule{Left: "CODE_A", Op: ">=", Right: "CODE_B + CODE_C"}, Rule{Left: "GONE", Op: "=", Right: "CODE_A"})
	vals := Values{}
	for _, id := range codes {
		vals[id] = 5
	}
	check := checkerOf(rules, codes)
	if got := check(vals); len(got) != 1 || got[0].Left != 5 || got[0].Right != 10 {
		t.Fatalf("violations %+v, want CODE_A (5) below CODE_B + CODE_C (10) only", got)
	}
	vals[codes["CODE_A"]] = 10
	if n := testing.AllocsPerRun(20, func() { check(vals) }); n != 0 {
		t.Errorf("checking one report against %d rules allocates %.0f times, want 0", len(rules), n)
	}
}
