// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary so screen-reader users hear it first
// (the GOV.UK error-summary pattern).
(function () {
	"use strict";
	var summary = document.querySelector("[data-error-summary]");
	if (summary) {
		summary.focus();
	}
})();
