import type { Config } from './config';
import { TableAuditLog } from './azure/auditLog';
import type { AuditLog } from './azure/auditLog';
import { azureCredentialOnFirstUse } from './azure/credential';
import { TableFreezeStore } from './azure/freezeStore';
import type { FreezeStore } from './azure/freezeStore';
import { openStateTable, stateTableName } from './azure/stateTable';

/** What outlives Shepherd's durable instances, kept in `SHEPHERD_STATE_STORAGE`, made once from the settings. */
export interface StateServices {
  audit: AuditLog;
  freezes: FreezeStore;
}

export function createStateServices(config: Config): StateServices {
  const credential = azureCredentialOnFirstUse(config);
  const table = (purpose: string) =>
    openStateTable(config.stateStorage, credential, stateTableName(config.taskHub, purpose));
  return { audit: new TableAuditLog(table('Audit')), freezes: new TableFreezeStore(table('Freezes')) };
}
