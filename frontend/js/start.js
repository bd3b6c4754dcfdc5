// GOV.UK Frontend's components, started from a file rather than an inline script so
// the Content-Security-Policy can refuse every inline script. Pages work without it.
import { initAll } from "/govuk/govuk-frontend.min.js";

initAll();
