package server

import (
	"fmt"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// pageViews names the view type each page template is executed with, so
// that TestTemplatesRenderEveryState can execute every template in every
// state without a database or a request: a template that cannot execute
// with some value its handler may give it (an int where it wants int64, a
// field that does not exist in one branch) fails here, not in front of a
// person. A new page template must be added here; the test says so.
func pageViews() map[string]func() any {
	return map[string]func() any{
		"about":                       func() any { return &aboutView{} },
		"about-contact":               func() any { return &aboutView{} },
		"accounts-account":            func() any { return &accountView{} },
		"accounts-delete":             func() any { return &accountDeleteView{} },
		"accounts-login":              func() any { return &loginView{} },
		"accounts-login-code":         func() any { return &loginCodeView{} },
		"accounts-password":           func() any { return &passwordView{} },
		"accounts-reauth":             func() any { return &reauthView{} },
		"accounts-sessions":           func() any { return &sessionsView{} },
		"accounts-forgot":             func() any { return &forgotView{} },
		"accounts-recover":            func() any { return &recoverView{} },
		"accounts-recovery-codes":     func() any { return &recoveryCodesView{} },
		"accounts-assisted-reset":     func() any { return &assistedView{} },
		"accounts-setpassword":        func() any { return &setPasswordView{} },
		"accounts-signup":             func() any { return &signupView{} },
		"accounts-signup-confirm":     func() any { return &signupConfirmView{} },
		"accounts-totp":               func() any { return &totpView{} },
		"admin-audit":                 func() any { return &adminAuditView{} },
		"admin-definitions":           func() any { return &adminDefsView{} },
		"admin-definitions-element":   func() any { return &adminElementView{} },
		"admin-definitions-indicator": func() any { return &adminIndicatorView{} },
		"admin-rules":                 func() any { return &adminRulesView{Rules: []ruleRow{{ID: 1}, {Builtin: true}}} },
		"admin-settings":              func() any { return &adminSettingsView{} },
		"admin-units":                 func() any { return &adminUnitsView{} },
		"admin-units-job":             func() any { return &adminUnitJobView{} },
		"admin-units-show":            func() any { return &adminUnitView{} },
		"admin-user":                  func() any { return &adminUserView{} },
		"admin-user-new":              func() any { return &adminUserNewView{} },
		"admin-users":                 func() any { return &adminUsersView{} },
		"api-docs":                    func() any { return &apiDocsView{} },
		"assessment-intro":            func() any { return &assessmentIntroView{} },
		"assessment-profile":          func() any { return &assessmentProfileView{assessmentFrame: frameWithSteps()} },
		"assessment-questions":        func() any { return &assessmentQuestionsView{assessmentFrame: frameWithSteps()} },
		"assessment-result":           func() any { return &assessmentResultView{assessmentFrame: frameWithSteps()} },
		"assessment-resume":           func() any { return &assessmentResumeView{} },
		"assessment-review":           func() any { return &assessmentReviewView{assessmentFrame: frameWithSteps()} },
		"assessment-saved":            func() any { return &assessmentSavedView{assessmentFrame: frameWithSteps()} },
		"assessment-stats":            func() any { return &assessmentStatsView{} },
		"certificates-print":          func() any { return &certificatePrintView{} },
		"certificates-show":           func() any { return &certificateView{} },
		"certificates-verify":         func() any { return &certificateVerifyView{} },
		"error":                       func() any { return &errorView{} },
		"team":                        teamStates,
		"team-log":                    teamLogStates,
		"teams-assist":                func() any { return &assistView{Done: "assist.done.new"} },
		"teams-assist-code":           func() any { return &assistCodeView{} },
		"team-classes":                func() any { return &teamClassesView{} },
		"team-class":                  func() any { return &teamClassView{} },
		"team-class-sheet":            func() any { return &teamClassPrintView{} },
		"team-class-plan":             func() any { return &teamClassPrintView{} },
		"teams":                       func() any { return &teamsListView{Teams: []teamRow{{Coverage: "1"}}} },
		"teams-report":                teamsReportStates,
		"help":                        func() any { return &helpSearchView{} },
		"help-unit":                   helpUnitStates,
		"home":                        func() any { return &homeView{} },
		"indicators-dashboard":        func() any { return &indicatorsView{} },
		"indicators-progress":         func() any { return &indProgressView{} },
		"lessons-catalogue":           func() any { return &lessonsCatalogueView{} },
		"lessons-search":              func() any { return &lessonsSearchView{} },
		"lessons-show":                func() any { return &lessonView{} },
		"lessons-stats":               func() any { return &lessonsStatsView{} },
		"paths-show":                  func() any { return &pathView{} },
		"payments-catalogue":          func() any { return &paymentsCatalogueView{} },
		"payments-practice-3ds":       func() any { return &practiceView{} },
		"payments-practice-bank":      func() any { return &practiceView{} },
		"payments-practice-card":      func() any { return &practiceView{} },
		"payments-practice-vietqr":    func() any { return &practiceView{} },
		"payments-receipt":            func() any { return &paymentReceiptView{} },
		"payments-report-list":        func() any { return &paymentsListView{} },
		"payments-report-show":        func() any { return &paymentReportView{} },
		"payments-status":             func() any { return &paymentStatusView{} },
		"progress-show":               func() any { return &progressView{} },
		"reports-entry":               func() any { return &entryView{} },
		"work":                        func() any { return &workView{} },
		"reports-import":              func() any { return &importView{} },
		"reports-review":              func() any { return &reviewListView{} },
		"reports-review-show":         func() any { return &reviewView{} },
		"reports-review-all":          func() any { return &reviewAllView{} },
		"reports-timeliness":          func() any { return &timelinessView{} },
		"reports-followups": func() any {
			return &followupsView{Items: []followupItem{{Open: true, CanAnswer: true, Error: "x"}, {Answer: "y", CanOpen: true}}}
		},
		"textsize": func() any { return &textSizeView{} },
	}
}

// frameWithSteps is the step list every page of a response has: the
// profile, the six pillars and the review.
func frameWithSteps() assessmentFrame {
	return assessmentFrame{Steps: make([]assessmentStep, 8), StepCount: 8}
}

// TestTemplatesRenderEveryState executes every page template in both
// languages in three states: empty (only the page frame: no results, no
// rows), full with every flag set (errors on the form, every optional part
// shown, a problem in every list), and full with every flag cleared (the
// other side of each if). Every exported field of the view is filled by
// reflection, so each range runs and each value reaches the template with
// the type its handler gives it.
func TestTemplatesRenderEveryState(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	views := pageViews()
	var names []string
	for name := range ts.srv.views.pages {
		names = append(names, name)
		if views[name] == nil {
			t.Errorf("page template %q has no entry in pageViews: add its view type", name)
		}
	}
	for name := range views {
		if ts.srv.views.pages[name] == nil {
			t.Errorf("pageViews names %q, which is no page template", name)
		}
	}
	sort.Strings(names)
	for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
		for _, name := range names {
			newView := views[name]
			if newView == nil {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", lang, name), func(t *testing.T) {
				for _, st := range viewStates(reflect.TypeOf(newView()).Elem(), alwaysSet[name]) {
					view := newView()
					page := ts.statePage(lang, st.name != "empty")
					v := reflect.ValueOf(view).Elem()
					v.FieldByName("Page").Set(reflect.ValueOf(page))
					st.fill(v, &filler{page: page})
					var b strings.Builder
					if err := ts.srv.views.pages[name].ExecuteTemplate(&b, "layout", view); err != nil {
						t.Errorf("state %s: %v", st.name, err)
						continue
					}
					out := b.String()
					if !strings.Contains(out, `<html lang="`+string(lang)+`"`) {
						t.Errorf("state %s: no <html lang=%q>", st.name, lang)
					}
					for _, bad := range []string{"%!", "<no value>", "[missing]"} {
						if strings.Contains(out, bad) {
							t.Errorf("state %s: output holds %q: a formatting or missing-value slip", st.name, bad)
						}
					}
				}
			})
		}
	}
}

// viewState is one way of filling a view.
type viewState struct {
	name string
	fill func(v reflect.Value, f *filler)
}

// alwaysSet names, per page template, the fields its handlers always set
// (the object the page is about), which the "without" states keep.
var alwaysSet = map[string][]string{
	"accounts-account":         {"User"},
	"admin-user":               {"Target"},
	"assessment-intro":         {"Model"},
	"assessment-profile":       {"Resp", "Data"},
	"assessment-questions":     {"Resp"},
	"assessment-result":        {"Resp", "Level"},
	"assessment-review":        {"Resp"},
	"assessment-saved":         {"Resp"},
	"assessment-stats":         {"Stats"},
	"certificates-print":       {"VI", "EN"},
	"indicators-dashboard":     {"Focus"}, // with ShowPage, the indicator shown
	"lessons-show":             {"Lesson", "Text"},
	"payments-practice-3ds":    {"Pay"},
	"payments-practice-bank":   {"Pay"},
	"payments-practice-card":   {"Pay"},
	"payments-practice-vietqr": {"Pay"},
	"payments-receipt":         {"Pay"},
	"payments-report-show":     {"Pay"},
	"payments-status":          {"Pay"},
}

// viewStates lists the states a view of type typ is rendered in: empty,
// full with flags set, full with flags cleared, and for each of its own
// fields (those of embedded frames included, the page frame's and keep
// excepted) full with that one field left zero, which reaches the else of
// a chain of ifs.
func viewStates(typ reflect.Type, keep []string) []viewState {
	states := []viewState{
		{"empty", func(v reflect.Value, f *filler) { f.empty = true; f.fill(v, 0) }},
		{"full", func(v reflect.Value, f *filler) { f.flags = true; f.fill(v, 0) }},
		{"full-flags-off", func(v reflect.Value, f *filler) { f.fill(v, 0) }},
	}
	for _, field := range reflect.VisibleFields(typ) {
		if !field.IsExported() || field.Anonymous || inPage(typ, field.Index) || slices.Contains(keep, field.Name) {
			continue
		}
		states = append(states, viewState{"full-without-" + field.Name, func(v reflect.Value, f *filler) {
			f.flags = true
			f.fill(v, 0)
			fv := v.FieldByIndex(field.Index)
			fv.Set(reflect.Zero(fv.Type()))
		}})
	}
	return states
}

// inPage reports whether the field at index of typ lies in the page frame.
func inPage(typ reflect.Type, index []int) bool {
	for _, i := range index {
		f := typ.Field(i)
		if f.Type == pageType {
			return true
		}
		typ = f.Type
	}
	return false
}

// statePage is the page frame of a view in lang, with a form error and a
// signed-in user when full.
func (ts *testServer) statePage(lang i18n.Lang, full bool) Page {
	r := httptest.NewRequest("GET", "/"+string(lang)+"/x", nil)
	p := ts.srv.page(httptest.NewRecorder(), r, "error.500.title")
	if full {
		p.Errors = []i18n.FieldError{{Field: "file", Message: p.L.T("indicators.import.error.unreadable")}}
	}
	return p
}

// filler sets every settable zero field of a value to a plausible
// non-zero one: two elements in each slice, a key in each map, flags set
// or cleared as asked. Fields already set (the page frame) are kept. When
// empty, it only makes the objects a handler always gives (pointers to
// structs) and leaves lists empty and numbers and text zero.
type filler struct {
	page  Page
	flags bool
	empty bool // only what a handler always sets: objects, no list items, zero numbers
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	pageType      = reflect.TypeOf(Page{})
	localizerType = reflect.TypeOf((*i18n.Localizer)(nil))
	langType      = reflect.TypeOf(i18n.VI)
)

func (f *filler) fill(v reflect.Value, depth int) {
	if depth > 8 || !v.CanSet() && v.Kind() != reflect.Struct {
		return
	}
	switch v.Type() {
	case pageType:
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)))
		return
	case localizerType:
		v.Set(reflect.ValueOf(f.page.L))
		return
	case langType:
		v.Set(reflect.ValueOf(f.page.Lang))
		return
	}
	if f.empty {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() && v.Type().Elem().Kind() == reflect.Struct {
				v.Set(reflect.New(v.Type().Elem()))
			}
			if !v.IsNil() {
				f.fill(v.Elem(), depth+1)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if sf := v.Type().Field(i); sf.IsExported() || sf.Anonymous {
					f.fill(v.Field(i), depth+1)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				f.fill(v.Index(i), depth+1)
			}
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(f.flags)
	case reflect.String:
		if v.String() == "" {
			v.SetString("x")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() == 0 {
			v.SetInt(2)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Uint() == 0 {
			v.SetUint(2)
		}
	case reflect.Float32, reflect.Float64:
		if v.Float() == 0 {
			v.SetFloat(0.5)
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		f.fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if sf := v.Type().Field(i); sf.IsExported() || sf.Anonymous {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		}
		for i := 0; i < v.Len(); i++ {
			f.fill(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			f.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		if v.Len() == 0 {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e, depth+1)
			v.SetMapIndex(k, e)
		}
	}
}
