// What a configuration reload did (SIGHUP or management RELOAD), entity by entity.

export interface ReloadReport {
  /** Changes made live, e.g. `listener amqp2 added`. */
  applied: string[];
  /** Changes that need a restart to take effect. */
  notApplied: string[];
  /** Why the new configuration (or part of it) was refused. */
  problems: string[];
}
