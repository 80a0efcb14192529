package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"digiportal/i18n"
	"digiportal/indicators"
)

// unitImportWait is how long a unit import waits for another one on this
// instance before it is told the portal is busy, as long as it would wait
// for one on another instance (database.LockTx).
const unitImportWait = 5 * time.Second

// adminUnitsImport imports, in one transaction, the statistics office's
// administrative-unit list (as of a day) or a successor mapping (of a
// reorganisation that took effect on a day), then rebuilds the roll-ups.
func (s *indicatorsPart) adminUnitsImport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminUnitsView(w, r)
	if err != nil {
		return err
	}
	// One unit file at a time, from before its body is read: two lists
	// read at once each hold their own (two 24 MB lists took the server
	// up 172 MiB, past what one upload may cost), and the second would
	// then wait for the first's lock anyway.
	select {
	case s.unitImport <- struct{}{}:
		defer func() { <-s.unitImport }()
	case <-time.After(unitImportWait):
		return errBusy
	case <-r.Context().Done():
		return r.Context().Err()
	}
	form, err := readUpload(r, "file")
	if err != nil {
		return err
	}
	f := indicators.UnitFile{Kind: indicators.UnitFileKind(form.values.Get("kind")), Day: strings.TrimSpace(form.values.Get("day")),
		Complete: form.values.Get("complete") == "yes", DryRun: form.values.Get("dry_run") == "yes", Name: form.name, Data: form.data}
	v.Kind, v.ImportDay = string(f.Kind), f.Day
	// The page's search form has a "day" of its own.
	rename := map[string]string{"day": "import-day"}
	if err := f.Check(); errors.Is(err, indicators.ErrUnitFileKind) {
		return errBadRequest // the form offers only the two kinds
	} else if msg := form.missingFile(v.L); msg != "" {
		// No file chosen, or an empty one: say so, beside any other
		// problem of the form.
		v.Errors = append(indicatorFieldErrors(v.L, err, rename), i18n.FieldError{Field: "file", Message: msg})
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	form.data = nil // f holds the only reference, which the import drops once read
	if !f.DryRun {
		return s.queueUnitFile(w, r, v, &f, rename)
	}
	res, rowErrs, err := indicators.ImportUnitFile(r.Context(), s.db, s.actor(r), &f, s.now())
	if done, err := s.unitFileRefused(w, r, v, rowErrs, err, rename); done {
		return err
	}
	v.Result = unitFileResultText(v.L, res)
	v.DryRun = res.DryRun
	return s.render(w, r, "admin-units", v)
}

// queueUnitFile reads and checks the file, keeps its rows as a job for the
// worker (runUnitJobs) and sends the person to the job's page: a national
// list and its roll-up rebuild take longer than a request may.
func (s *indicatorsPart) queueUnitFile(w http.ResponseWriter, r *http.Request, v *adminUnitsView, f *indicators.UnitFile, rename map[string]string) error {
	p, rowErrs, err := indicators.ParseUnitFile(r.Context(), f)
	if done, err := s.unitFileRefused(w, r, v, rowErrs, err, rename); done {
		return err
	}
	id, err := indicators.QueueUnitJob(r.Context(), s.db, s.actor(r), p, s.now())
	if err != nil {
		return err
	}
	s.wakeUnitJobs()
	http.Redirect(w, r, fmt.Sprintf("/%s/admin/units/jobs/%d", v.Lang, id), http.StatusSeeOther)
	return nil
}

// unitFileRefused answers a file that cannot be imported, or an error, and
// then says done.
func (s *indicatorsPart) unitFileRefused(w http.ResponseWriter, r *http.Request, v *adminUnitsView, rowErrs []indicators.RowError, err error, rename map[string]string) (bool, error) {
	if errors.Is(err, indicators.ErrNotTable) {
		v.Errors = []i18n.FieldError{{Field: "file", Message: importFileError(v.L, err)}}
		return true, s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if errs := indicatorFieldErrors(v.L, err, rename); errs != nil {
		v.Errors = errs
		return true, s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if err != nil {
		return true, err
	}
	if len(rowErrs) > 0 {
		v.Problems = importProblems(&v.Page, rowErrs)
		return true, s.renderStatus(w, r, http.StatusUnprocessableEntity, "admin-units", v)
	}
	return false, nil
}

// unitFileResultText says what an import changed, or would change.
func unitFileResultText(l *i18n.Localizer, res indicators.UnitFileResult) string {
	if res.Kind == indicators.UnitList {
		u := res.Units
		msg := "indicators.admin.units.result"
		if res.DryRun {
			msg = "indicators.admin.units.would"
		}
		text := l.T(msg, "Created", u.Created, "Changed", u.Changed, "Unchanged", u.Unchanged, "Closed", u.Closed)
		if u.Extended > 0 {
			text += " " + l.T("indicators.admin.units.extended", "Extended", u.Extended)
		}
		if u.Renamed > 0 {
			text += " " + l.T("indicators.admin.units.renamed", "Renamed", u.Renamed)
		}
		return text
	}
	msg := "indicators.admin.units.mapping_result"
	if res.DryRun {
		msg = "indicators.admin.units.mapping_would"
	}
	return l.T(msg, "Replaced", res.Mappings.Replaced, "Unchanged", res.Mappings.Unchanged)
}
