package assessments

import (
	"encoding/json"
	"net/url"
	"testing"
)

func realModel(t testing.TB) *Model {
	t.Helper()
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c.Current()
}

func TestDecodeItems(t *testing.T) {
	m := realModel(t)
	items, _ := m.PageItems("customer")
	tests := []struct {
		name     string
		form     string
		want     Answers
		wantErrs []FieldError
	}{
		{
			name: "a full page",
			form: "cx-presence=yes&cx-presence.rung=4&cx-channels=chat&cx-channels=website&cx-payments=cash-only" +
				"&cx-online-revenue=12,5&cx-feedback=partial&cx-care=2&cx-tracking=na",
			want: Answers{
				"cx-presence": {Choice: "yes", Rung: 4}, "cx-channels": {Checked: []string{"chat", "website"}},
				"cx-payments": {Checked: []string{"cash-only"}}, "cx-online-revenue": {Percent: pct(12.5)},
				"cx-feedback": {Choice: "partial"}, "cx-care": {Choice: "2"}, "cx-tracking": {Choice: "na"},
			},
		},
		{
			name: "a rung after no is dropped; blanks are unanswered",
			form: "cx-presence=no&cx-presence.rung=4&cx-online-revenue=+&cx-feedback=",
			want: Answers{"cx-presence": {Choice: "no"}},
		},
		{
			name: "yes without a rung is kept (incomplete)",
			form: "cx-presence=yes",
			want: Answers{"cx-presence": {Choice: "yes"}},
		},
		{
			name: "percent sign and dot",
			form: "cx-online-revenue=" + url.QueryEscape("7.25 %"),
			want: Answers{"cx-online-revenue": {Percent: pct(7.25)}},
		},
		{
			name:     "none with another box",
			form:     "cx-channels=none&cx-channels=chat",
			want:     Answers{},
			wantErrs: []FieldError{{"cx-channels", "assessment.error.exclusive"}},
		},
		{
			name: "values not offered",
			form: "cx-presence=maybe&cx-feedback=na&cx-care=9&cx-channels=fax&cx-online-revenue=abc",
			want: Answers{},
			wantErrs: []FieldError{
				{"cx-presence", "assessment.error.choice"}, {"cx-channels", "assessment.error.choice"},
				{"cx-online-revenue", "assessment.error.number"}, {"cx-feedback", "assessment.error.choice"},
				{"cx-care", "assessment.error.choice"},
			},
		},
		{
			name:     "out of range and thousands separators",
			form:     "cx-online-revenue=101&cx-tracking=yes&cx-presence=yes&cx-presence.rung=0",
			want:     Answers{"cx-tracking": {Choice: "yes"}},
			wantErrs: []FieldError{{"cx-presence.rung", "assessment.error.choice"}, {"cx-online-revenue", "assessment.error.range"}},
		},
		{
			name:     "two decimal marks",
			form:     "cx-online-revenue=1.000,5",
			want:     Answers{},
			wantErrs: []FieldError{{"cx-online-revenue", "assessment.error.number"}},
		},
	}
	for _, tt := range tests {
		form, err := url.ParseQuery(tt.form)
		if err != nil {
			t.Fatal(err)
		}
		got, errs := DecodeItems(items, form)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(tt.want)
		if string(gj) != string(wj) {
			t.Errorf("%s: answers %s, want %s", tt.name, gj, wj)
		}
		if len(errs) != len(tt.wantErrs) {
			t.Errorf("%s: errors %v, want %v", tt.name, errs, tt.wantErrs)
			continue
		}
		for i := range errs {
			if errs[i] != tt.wantErrs[i] {
				t.Errorf("%s: error %d = %v, want %v", tt.name, i, errs[i], tt.wantErrs[i])
			}
		}
	}
}

func TestRequireComplete(t *testing.T) {
	m := realModel(t)
	items, _ := m.PageItems("strategy")
	a := Answers{"st-plan": {Choice: "yes"}, "st-lead": {Choice: "no"}}
	errs := RequireComplete(items, a)
	if len(errs) != 5 || errs[0] != (FieldError{"st-plan.rung", "assessment.error.rung"}) || errs[1].Field != "st-budget" {
		t.Errorf("RequireComplete = %v; want the ladder of st-plan and the four unanswered items", errs)
	}
	needs, _ := m.PageItems(NeedsPage)
	if errs := RequireComplete(needs, Answers{}); len(errs) != 0 {
		t.Errorf("optional items required: %v", errs)
	}
}

// FuzzDecodeItems feeds arbitrary forms to the decoder of every page: it
// must never panic, never return an answer the item would call invalid,
// and every answer must survive a JSON round trip (the way it is stored).
func FuzzDecodeItems(f *testing.F) {
	m := realModel(f)
	for _, seed := range []string{
		"cx-presence=yes&cx-presence.rung=3&cx-channels=chat&cx-channels=none",
		"cx-online-revenue=NaN&st-budget=1e400&in-devices=-0&op-paperless=%2B5",
		"cu-skills=50%25&da-personal=sharing&da-personal=consent&ctx-needs=none",
		"op-stock=na&op-suppliers=na&in-cloud=yes&in-cloud.rung=05",
		"cx-care=%00&cx-feedback=yes&cx-feedback=no&st-support=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, page := range m.Pages() {
			items, _ := m.PageItems(page)
			answers, errs := DecodeItems(items, form)
			for id, a := range answers {
				it, ok := m.Item(id)
				if !ok {
					t.Fatalf("answer for unknown item %q", id)
				}
				if err := it.Check(a); err != nil && err != ErrUnanswered {
					t.Fatalf("decoded %q to %+v, which Check calls %v", id, a, err)
				}
				b, err := json.Marshal(a)
				if err != nil {
					t.Fatalf("answer %+v does not marshal: %v", a, err)
				}
				var back Answer
				if err := json.Unmarshal(b, &back); err != nil || it.Check(back) != it.Check(a) {
					t.Fatalf("answer %+v changed in a JSON round trip", a)
				}
			}
			for _, fe := range errs {
				if fe.MsgID == "" || fe.Field == "" {
					t.Fatalf("field error without field or message: %+v", fe)
				}
			}
		}
	})
}
