// GOV.UK Frontend's components, started from a file rather than an inline script so
// the Content-Security-Policy can refuse every inline script. Pages work without it.
import { initAll } from "/govuk/govuk-frontend.min.js";

initAll();

// What-if: choosing a standard fills the price (its funding band maximum) and the
// duration from the option's data attributes. Without JavaScript the server uses the
// chosen standard's figures for whichever of the two is left blank.
for (const select of document.querySelectorAll("select[data-levy-fills]")) {
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    for (const name of select.dataset.levyFills.split(" ")) {
      const input = document.getElementById(name);
      const value = option && option.dataset[name];
      if (input && value) input.value = value;
    }
  });
}
