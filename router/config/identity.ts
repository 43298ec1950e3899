// Default `identity` and `name` of configured entities (reference §1.2): identity is
// `<type>/<id>` and name defaults to the identity.

import type { EntityDraft } from './entity-draft';
import { entitySchema } from './schema';

/**
 * Sets draft.identity and draft.name. `index` is the entity's position among the entities of its
 * type, used as the per-type counter.
 */
export function assignIdentity(draft: EntityDraft, index: number): void {
  const given = draft.string('name');
  const type = draft.type;
  let id: string;
  switch (entitySchema(type)['x-identity']) {
    case 'router-id':
      id = draft.string('id') ?? '';
      break;
    case 'host-port':
      // A user-given name is appended so that two named listeners on one port stay distinct.
      id = `${draft.string('host') ?? ''}:${draft.string('port') ?? ''}${given === undefined ? '' : `:${given}`}`;
      break;
    case 'module':
      id = draft.string('module') ?? String(index);
      break;
    case 'hostname':
      id = draft.string('hostname') ?? String(index);
      break;
    case 'name':
      id = given ?? String(index);
      break;
    case 'counter':
      id = String(index);
      break;
  }
  draft.identity = `${type}/${id}`;
  draft.name = given ?? draft.identity;
}
