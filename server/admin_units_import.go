package server

import (
	"errors"
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
	res, rowErrs, err := indicators.ImportUnitFile(r.Context(), s.db, s.actor(r), &f, s.now())
	if errors.Is(err, indicators.ErrNotTable) {
		v.Errors = []i18n.FieldError{{Field: "file", Message: importFileError(v.L, err)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if errs := indicatorFieldErrors(v.L, err, rename); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-units", v)
	}
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		v.Problems = importProblems(&v.Page, rowErrs)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "admin-units", v)
	}
	if res.Kind == indicators.UnitList {
		u := res.Units
		msg := "indicators.admin.units.result"
		if res.DryRun {
			msg = "indicators.admin.units.would"
		}
		v.Result = v.L.T(msg, "Created", u.Created, "Changed", u.Changed, "Unchanged", u.Unchanged, "Closed", u.Closed)
		if u.Extended > 0 {
			v.Result += " " + v.L.T("indicators.admin.units.extended", "Extended", u.Extended)
		}
		if u.Renamed > 0 {
			v.Result += " " + v.L.T("indicators.admin.units.renamed", "Renamed", u.Renamed)
		}
	} else {
		msg := "indicators.admin.units.mapping_result"
		if res.DryRun {
			msg = "indicators.admin.units.mapping_would"
		}
		v.Result = v.L.T(msg, "Replaced", res.Mappings.Replaced, "Unchanged", res.Mappings.Unchanged)
	}
	v.DryRun = res.DryRun
	return s.render(w, r, "admin-units", v)
}
