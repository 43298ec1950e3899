// V8 flags weftd runs with (its shebang, `npm start`, the tests and the bench use them).
// A small young generation keeps the resident size low at no measurable CPU cost, and an
// explicit collection after start-up drops what loading the configuration left behind
// (docs/decisions/0005-memory.md has the measurements).
export const WEFTD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];
