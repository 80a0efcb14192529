package server

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"digiportal/assessments"
	"digiportal/database"
	"digiportal/i18n"
)

// assessmentResultView is the result page and, with Report set, the
// printable report: the same figures, the report adding the profile and
// every answer and leaving out the forms.
type assessmentResultView struct {
	assessmentFrame
	Report     bool
	Version    string
	Result     assessments.Result
	Level      *assessments.Level
	EUBand     string
	Pillars    []assessmentPillarRow
	Previous   *assessmentPrevious
	Radar      radarChart
	Gaps       []assessmentGap
	Advice     []assessmentAdvice
	Peers      []assessmentPeers
	PeerDetail *assessmentPeers // the closest group shown, for the pillar medians
	Consent    bool
	ConsentVer string
	Saved      bool // the consent choice was just saved
	Profile    []assessmentFact
	Answers    []assessmentAnswerSection
	ReportPath string
	ResultPath string
}

type assessmentPillarRow struct {
	ID        string
	Name      string
	Percent   float64
	Level     int
	LevelName string
	Points    float64
	MaxPoints int
	Before    *float64 // the earlier result's percentage
	Change    string   // signed, in percentage points
	PeerMed   *float64 // median of the closest peer group shown
}

type assessmentPrevious struct {
	Submitted     string // date
	Level         int
	LevelName     string
	Percent       float64
	Change        string // signed, in percentage points
	OtherVersion  bool   // scored under another model: compare with care
	PreviousModel string
}

type assessmentGap struct {
	Item   string
	Pillar string
	Lost   float64
	Lesson *assessmentLessonLink
}

type assessmentAdvice struct {
	Pillar    string
	Level     int
	LevelName string
	Text      string
	Lessons   []assessmentLessonLink
}

type assessmentLessonLink struct {
	Path  string
	Title string
}

type assessmentPeers struct {
	Label      string
	Suppressed bool
	N          int
	Q1         float64
	Median     float64
	Q3         float64
	Below      float64 // share of the group scoring lower, percent
	Pillars    map[string]float64
	Bar        peerBar
}

// peerBar places a group's middle half, its median and the business's own
// score on a 0–100% line, for a small drawing beside the figures.
type peerBar struct {
	Width, From, To float64 // the line
	BoxX, BoxW      float64 // lower to upper quartile
	MedianX, YouX   float64
}

func newPeerBar(q1, median, q3, you float64) peerBar {
	b := peerBar{Width: 300, From: 10, To: 290}
	x := func(pct float64) float64 { return round1(b.From + (b.To-b.From)*math.Max(0, math.Min(100, pct))/100) }
	b.BoxX, b.BoxW, b.MedianX, b.YouX = x(q1), x(q3)-x(q1), x(median), x(you)
	return b
}

type assessmentAnswerSection struct {
	Name string
	Rows []assessmentFact
}

// assessmentResultViewFor builds the result of a submitted response.
func (s *assessmentsPart) assessmentResultViewFor(w http.ResponseWriter, r *http.Request, a *assessmentCtx, titleID string, report bool) (*assessmentResultView, error) {
	ctx := r.Context()
	res, err := a.model.Score(a.resp.Answers)
	if err != nil {
		return nil, err
	}
	v := &assessmentResultView{
		assessmentFrame: s.assessmentFrameFor(w, r, a, titleID, ""),
		Report:          report, Version: a.model.Version, Result: res,
		Level: a.model.Level(res.Level), EUBand: assessments.EUBandOf(res.Percent).MsgID(),
		Consent: a.resp.Consented(), ConsentVer: assessments.ConsentVersion,
		Saved: r.URL.Query().Get("consent") == "saved",
	}
	lang := v.Lang
	v.ReportPath = assessmentURL(string(lang), a.resp.ID, "report")
	v.ResultPath = assessmentURL(string(lang), a.resp.ID, "result")

	prev, hasPrev, err := s.assessmentPrevious(ctx, a)
	if err != nil {
		return nil, err
	}
	if !hasPrev {
		prev = nil
	}
	s.assessmentPillarsFor(v, a, res, prev)
	v.Gaps = s.assessmentGapsFor(lang, a)
	v.Advice = s.assessmentAdviceFor(lang, a, res)
	if err := s.assessmentPeersFor(ctx, v, a); err != nil {
		return nil, err
	}
	if report {
		if v.Profile, err = s.assessmentProfileFacts(ctx, v.Page, a.resp); err != nil {
			return nil, err
		}
		v.Answers = assessmentAnswerSections(v.L, a.model, a.resp.Answers)
	}
	return v, nil
}

// assessmentPillarsFor adds the pillar table, the radar chart and, for a
// retake, the comparison with the earlier result.
func (s *assessmentsPart) assessmentPillarsFor(v *assessmentResultView, a *assessmentCtx, res assessments.Result, prev *assessments.Response) {
	lang := v.Lang
	var labels []string
	var now, before []float64
	for _, pr := range res.Pillars {
		pl, _ := a.model.Pillar(pr.ID)
		row := assessmentPillarRow{
			ID: pr.ID, Name: pl.Name.In(lang), Percent: pr.Percent, Level: pr.Level,
			LevelName: a.model.Level(pr.Level).Name.In(lang), Points: pr.Points, MaxPoints: pr.MaxPoints,
		}
		if prev != nil {
			if b, ok := prev.PillarScores[pr.ID]; ok {
				row.Before, row.Change = &b, signed(v.L, pr.Percent-b)
				before = append(before, b)
			}
		}
		v.Pillars = append(v.Pillars, row)
		labels = append(labels, pl.Short.In(lang))
		now = append(now, pr.Percent)
	}
	if len(before) != len(now) { // an earlier model with other pillars: no second polygon
		before = nil
	}
	v.Radar = newRadar(labels, now, before)
	v.Radar.Title, v.Radar.Desc = v.L.T("assessment.result.chart.title"), v.L.T("assessment.result.chart.desc")
	v.Radar.Legend = v.L.T("assessment.result.chart.now")
	if before != nil {
		v.Radar.Legend += " " + v.L.T("assessment.result.chart.before")
	}
	if prev == nil {
		return
	}
	v.Previous = &assessmentPrevious{
		Submitted: v.L.Date(prev.SubmittedAt), Level: prev.Level, Percent: prev.Score,
		Change: signed(v.L, res.Percent-prev.Score), OtherVersion: prev.ModelVersion != a.model.Version, PreviousModel: prev.ModelVersion,
	}
	if pm, ok := s.cat.Model(prev.ModelVersion); ok {
		v.Previous.LevelName = pm.Level(prev.Level).Name.In(lang)
	}
}

// assessmentGapsFor lists the three items that cost the most points, each
// with a lesson when the item has one.
func (s *assessmentsPart) assessmentGapsFor(lang i18n.Lang, a *assessmentCtx) []assessmentGap {
	var out []assessmentGap
	for _, g := range a.model.Gaps(a.resp.Answers, 3) {
		pl, _ := a.model.Pillar(g.Pillar)
		gap := assessmentGap{Item: g.Item.Short.In(lang), Pillar: pl.Name.In(lang), Lost: g.Lost}
		if len(g.Item.Lessons) > 0 {
			if l, ok := s.assessmentLesson(lang, g.Item.Lessons[0]); ok {
				gap.Lesson = &l
			}
		}
		out = append(out, gap)
	}
	return out
}

// assessmentAdviceFor gives the advice for each weak pillar at the level it
// reached, with its lessons.
func (s *assessmentsPart) assessmentAdviceFor(lang i18n.Lang, a *assessmentCtx, res assessments.Result) []assessmentAdvice {
	var out []assessmentAdvice
	for _, adv := range a.model.Advise(res) {
		ad := assessmentAdvice{
			Pillar: adv.Pillar.Name.In(lang), Level: adv.Result.Level,
			LevelName: a.model.Level(adv.Result.Level).Name.In(lang), Text: adv.Text.In(lang),
		}
		for _, slug := range adv.Lessons {
			if l, ok := s.assessmentLesson(lang, slug); ok {
				ad.Lessons = append(ad.Lessons, l)
			}
		}
		out = append(out, ad)
	}
	return out
}

// assessmentPrevious returns the earlier result a retake is compared with,
// and false when there is none to compare with.
func (s *assessmentsPart) assessmentPrevious(ctx context.Context, a *assessmentCtx) (*assessments.Response, bool, error) {
	if a.resp.PreviousID == "" {
		return nil, false, nil
	}
	prev, err := assessments.Get(ctx, s.db, a.resp.PreviousID)
	if errors.Is(err, database.ErrNotFound) {
		return nil, false, nil // deleted meanwhile
	}
	if err != nil {
		return nil, false, err
	}
	return prev, prev.Submitted() && prev.SeriesID == a.resp.SeriesID, nil
}

// assessmentLesson links a lesson by slug, titled in lang.
func (s *assessmentsPart) assessmentLesson(lang i18n.Lang, slug string) (assessmentLessonLink, bool) {
	l, ok := s.lessons.Lesson(slug)
	if !ok {
		return assessmentLessonLink{}, false
	}
	return assessmentLessonLink{Path: "/" + string(lang) + "/lessons/" + slug, Title: l.In(lang).Title}, true
}

// assessmentPeersFor adds the benchmark: where the result sits among the
// other businesses' consented results, group by group; groups of fewer
// than five are withheld and say so.
func (s *assessmentsPart) assessmentPeersFor(ctx context.Context, v *assessmentResultView, a *assessmentCtx) error {
	groups, err := assessments.Benchmark(ctx, s.db, a.resp)
	if err != nil {
		return err
	}
	l := v.L
	sector, size := a.resp.Sector, a.resp.SizeClass
	if x, ok := s.cat.Profile.Sector(sector); ok {
		sector = x.Name.In(v.Lang)
	}
	if x, ok := s.cat.Profile.SizeClassByID(size); ok {
		size = x.Name.In(v.Lang)
	}
	for _, g := range groups {
		p := assessmentPeers{
			Label:      l.T("assessment.peers.group."+string(g.Kind), "Sector", sector, "Size", size),
			Suppressed: g.Suppressed, N: g.N, Q1: g.Q1, Median: g.Median, Q3: g.Q3, Below: g.BelowShare(), Pillars: g.Pillars,
		}
		if !g.Suppressed {
			p.Bar = newPeerBar(g.Q1, g.Median, g.Q3, a.resp.Score)
		}
		v.Peers = append(v.Peers, p)
		if !p.Suppressed && v.PeerDetail == nil {
			v.PeerDetail = &v.Peers[len(v.Peers)-1]
		}
	}
	if v.PeerDetail != nil {
		for i := range v.Pillars {
			if m, ok := v.PeerDetail.Pillars[v.Pillars[i].ID]; ok {
				v.Pillars[i].PeerMed = &m
			}
		}
	}
	return nil
}

// assessmentAnswerSections writes every answer out in words, page by page,
// for the report.
func assessmentAnswerSections(l *i18n.Localizer, m *assessments.Model, answers assessments.Answers) []assessmentAnswerSection {
	var out []assessmentAnswerSection
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		sec := assessmentAnswerSection{Name: l.T("assessment.step.needs")}
		if pl, ok := m.Pillar(page); ok {
			sec.Name = pl.Name.In(l.Lang)
		}
		for i := range items {
			sec.Rows = append(sec.Rows, assessmentFact{Label: items[i].Short.In(l.Lang), Value: assessmentAnswerText(l, &items[i], answers[items[i].ID])})
		}
		out = append(out, sec)
	}
	return out
}

// assessmentAnswerText is an answer in words.
func assessmentAnswerText(l *i18n.Localizer, it *assessments.Item, a assessments.Answer) string {
	switch {
	case a.Choice == assessments.ChoiceNA:
		return it.NAText.In(l.Lang)
	case it.Type == assessments.Checklist:
		if len(a.Checked) == 0 {
			return l.T("assessment.report.unanswered")
		}
		var parts []string
		for _, id := range a.Checked {
			if o, ok := it.Option(id); ok {
				parts = append(parts, o.Text.In(l.Lang))
			}
		}
		return strings.Join(parts, "; ")
	case it.Type == assessments.Ratio:
		if a.Percent == nil {
			return l.T("assessment.report.unanswered")
		}
		return l.Percent(*a.Percent)
	case it.Type == assessments.Scale && a.Choice != "":
		n, _ := strconv.Atoi(a.Choice)
		return l.T("assessment.report.scale", "N", n)
	case a.Choice == assessments.ChoiceYes && it.Type == assessments.GateLadder && a.Rung >= 1 && a.Rung <= len(it.Ladder):
		return l.T("assessment.answer.yes") + " – " + it.Ladder[a.Rung-1].In(l.Lang)
	case a.Choice != "":
		return l.T("assessment.answer." + a.Choice)
	}
	return l.T("assessment.report.unanswered")
}

// signed writes a change with its sign, to one decimal: +5,2 / −3 / 0.
func signed(l *i18n.Localizer, x float64) string {
	x = math.Round(x*10) / 10
	switch {
	case x > 0:
		return "+" + l.Decimal(x, 1)
	case x < 0:
		return "−" + l.Decimal(-x, 1)
	}
	return l.Decimal(0, 1)
}
