// What a configuration reload did: changes applied, changes it could not apply (and why), problems.
export type ReloadReport = { applied: string[]; notApplied: string[]; problems: string[] };
