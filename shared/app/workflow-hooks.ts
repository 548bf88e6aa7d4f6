/**
 * Every workflow's app-side hooks (step Lambdas' work, outcome preparers), registered on
 * import: whatever runs steps or completes tasks imports this one module.
 */
import "./applications/signals";
import "./applications/fees";
import "./publishing/publish";
import "./consultations/hooks";
import "./interpretations/open";
