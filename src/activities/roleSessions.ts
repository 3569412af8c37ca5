import type { RotationServices } from '../rotationServices';
import type { PostgresRoleSecret } from '../secretSettings';

/** How many sessions on the secret's database log in as `role` now: a consumer still using it shows here. */
export function roleSessions(services: RotationServices) {
  return async (input: { secret: PostgresRoleSecret; role: string }): Promise<{ sessions: number }> => {
    const admin = await services.adminConnection(input.secret);
    const sessions = await services.roles.sessions(admin, input.secret.postgres.database);
    return { sessions: sessions.filter((s) => s.role === input.role).length };
  };
}
