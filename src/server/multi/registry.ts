/**
 * What `assay server` keeps beside the runs, in the same store (DuckDB file or PostgreSQL):
 * projects, tokens (hashes only), which runs belong to which project, and the pushes already
 * taken by assessment id. Tables of migration domain `server`.
 */
import type { Migration, SqlStore } from '../../store/store.ts';
import { newToken, type TokenScope } from './tokens.ts';

export const SERVER_MIGRATIONS: readonly Migration[] = [
  {
    domain: 'server',
    version: 1,
    description: 'projects, tokens and the runs pushed to each project',
    up: [
      `CREATE TABLE server_projects (
        name VARCHAR PRIMARY KEY,
        scope VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE server_tokens (
        id VARCHAR PRIMARY KEY,
        scope VARCHAR NOT NULL,
        hash VARCHAR NOT NULL,
        note VARCHAR,
        created_at VARCHAR NOT NULL,
        revoked_at VARCHAR
      )`,
      `CREATE TABLE server_token_projects (
        token_id VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        PRIMARY KEY (token_id, project)
      )`,
      // One row per (project, assessment id): claimed before the save, given its run after it.
      `CREATE TABLE server_pushes (
        project VARCHAR NOT NULL,
        assessment_id VARCHAR NOT NULL,
        run INTEGER,
        claimed_at VARCHAR NOT NULL,
        PRIMARY KEY (project, assessment_id)
      )`,
    ],
  },
];

/** Project names: lower-case letters, digits, `-` and `_`, starting with a letter or digit; at most 63. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class RegistryError extends Error {
  constructor(
    readonly code: 'invalid' | 'exists' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

export interface Project {
  name: string;
  scope: string;
  createdAt: string;
}

export interface TokenInfo {
  id: string;
  scope: TokenScope;
  projects: string[];
  note?: string;
  createdAt: string;
  revokedAt?: string;
}

export interface TokenRow extends TokenInfo {
  hash: string;
}

/** A claim older than this was left by a server that died mid-save; another push may take it over. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

export type Claim = { claimed: true } | { claimed: false; run?: number };

export class Registry {
  constructor(
    readonly store: SqlStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async addProject(name: string, scope: string): Promise<Project> {
    if (!PROJECT_NAME.test(name))
      throw new RegistryError(
        'invalid',
        `a project name is 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit; got '${name}'`,
      );
    if (scope.length > 2000)
      throw new RegistryError('invalid', 'a project scope is at most 2,000 characters');
    const createdAt = this.now().toISOString();
    const rows = await this.store.all(
      'INSERT INTO server_projects (name, scope, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING name',
      [name, scope, createdAt],
    );
    if (rows.length === 0) throw new RegistryError('exists', `a project named '${name}' exists already`);
    return { name, scope, createdAt };
  }

  async projects(names?: readonly string[]): Promise<Project[]> {
    const rows = await this.store.all<{ name: string; scope: string; created_at: string }>(
      'SELECT name, scope, created_at FROM server_projects ORDER BY name',
    );
    return rows
      .filter((r) => names === undefined || names.includes(r.name))
      .map((r) => ({ name: r.name, scope: r.scope, createdAt: r.created_at }));
  }

  async project(name: string): Promise<Project | undefined> {
    const rows = await this.store.all<{ name: string; scope: string; created_at: string }>(
      'SELECT name, scope, created_at FROM server_projects WHERE name = ?',
      [name],
    );
    const r = rows[0];
    return r ? { name: r.name, scope: r.scope, createdAt: r.created_at } : undefined;
  }

  /**
   * A new token; its full text is in the result and nowhere else. A push token names exactly one
   * project, a read token one or more, an admin token none.
   */
  async createToken(
    scope: TokenScope,
    projects: readonly string[],
    note?: string,
  ): Promise<{ token: string; info: TokenInfo }> {
    const unique = [...new Set(projects)];
    if (scope === 'admin' && unique.length > 0)
      throw new RegistryError('invalid', 'an admin token manages every project: give it no --project');
    if (scope === 'push' && unique.length !== 1)
      throw new RegistryError('invalid', 'a push token writes to exactly one project: give one --project');
    if (scope === 'read' && unique.length === 0)
      throw new RegistryError('invalid', 'a read token reads named projects: give at least one --project');
    for (const p of unique)
      if (!(await this.project(p))) throw new RegistryError('missing', `no project named '${p}'`);
    const made = await newToken();
    const createdAt = this.now().toISOString();
    await this.store.transaction(async (sql) => {
      await sql.run(
        'INSERT INTO server_tokens (id, scope, hash, note, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)',
        [made.id, scope, made.hash, note ?? null, createdAt],
      );
      for (const p of unique)
        await sql.run('INSERT INTO server_token_projects (token_id, project) VALUES (?, ?)', [made.id, p]);
    });
    return {
      token: made.token,
      info: { id: made.id, scope, projects: unique, ...(note ? { note } : {}), createdAt },
    };
  }

  async tokens(): Promise<TokenInfo[]> {
    const rows = await this.tokenRows();
    return rows.map(({ hash: _hash, ...info }) => info);
  }

  /** The token's row (revoked or not), with its hash, for authentication. */
  async token(id: string): Promise<TokenRow | undefined> {
    return (await this.tokenRows(id))[0];
  }

  private async tokenRows(id?: string): Promise<TokenRow[]> {
    const where = id === undefined ? '' : ' WHERE id = ?';
    const params = id === undefined ? [] : [id];
    const rows = await this.store.all<{
      id: string;
      scope: TokenScope;
      hash: string;
      note: string | null;
      created_at: string;
      revoked_at: string | null;
    }>(
      `SELECT id, scope, hash, note, created_at, revoked_at FROM server_tokens${where} ORDER BY created_at, id`,
      params,
    );
    const links = await this.store.all<{ token_id: string; project: string }>(
      `SELECT token_id, project FROM server_token_projects${id === undefined ? '' : ' WHERE token_id = ?'} ORDER BY project`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      scope: r.scope,
      hash: r.hash,
      projects: links.filter((l) => l.token_id === r.id).map((l) => l.project),
      ...(r.note ? { note: r.note } : {}),
      createdAt: r.created_at,
      ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
    }));
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  async revokeToken(id: string): Promise<boolean> {
    const rows = await this.store.all(
      'UPDATE server_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id',
      [this.now().toISOString(), id],
    );
    return rows.length > 0;
  }

  /** The run numbers of a project, oldest first. */
  async projectRuns(project: string): Promise<number[]> {
    const rows = await this.store.all<{ run: number }>(
      'SELECT run FROM server_pushes WHERE project = ? AND run IS NOT NULL ORDER BY run',
      [project],
    );
    return rows.map((r) => Number(r.run));
  }

  /** Which project each pushed run belongs to. */
  async runOwners(): Promise<Map<number, string>> {
    const rows = await this.store.all<{ run: number; project: string }>(
      'SELECT run, project FROM server_pushes WHERE run IS NOT NULL',
    );
    return new Map(rows.map((r) => [Number(r.run), r.project]));
  }

  async runProject(run: number): Promise<string | undefined> {
    const rows = await this.store.all<{ project: string }>(
      'SELECT project FROM server_pushes WHERE run = ?',
      [run],
    );
    return rows[0]?.project;
  }

  /**
   * Claims a push of `assessmentId` to `project`: claimed, or not because it was saved already (its
   * run), or not because another push of it is being saved right now (no run).
   */
  async claimPush(project: string, assessmentId: string): Promise<Claim> {
    const at = this.now();
    const inserted = await this.store.all(
      'INSERT INTO server_pushes (project, assessment_id, run, claimed_at) VALUES (?, ?, NULL, ?) ON CONFLICT DO NOTHING RETURNING project',
      [project, assessmentId, at.toISOString()],
    );
    if (inserted.length > 0) return { claimed: true };
    const rows = await this.store.all<{ run: number | null; claimed_at: string }>(
      'SELECT run, claimed_at FROM server_pushes WHERE project = ? AND assessment_id = ?',
      [project, assessmentId],
    );
    const row = rows[0];
    if (!row) return this.claimPush(project, assessmentId);
    if (row.run !== null) return { claimed: false, run: Number(row.run) };
    if (at.getTime() - Date.parse(row.claimed_at) < STALE_CLAIM_MS) return { claimed: false };
    // A stale claim: take it over, unless another push did so first.
    const taken = await this.store.all(
      'UPDATE server_pushes SET claimed_at = ? WHERE project = ? AND assessment_id = ? AND run IS NULL AND claimed_at = ? RETURNING project',
      [at.toISOString(), project, assessmentId, row.claimed_at],
    );
    return taken.length > 0 ? { claimed: true } : { claimed: false };
  }

  async completePush(project: string, assessmentId: string, run: number): Promise<void> {
    await this.store.run('UPDATE server_pushes SET run = ? WHERE project = ? AND assessment_id = ?', [
      run,
      project,
      assessmentId,
    ]);
  }

  async releasePush(project: string, assessmentId: string): Promise<void> {
    await this.store.run(
      'DELETE FROM server_pushes WHERE project = ? AND assessment_id = ? AND run IS NULL',
      [project, assessmentId],
    );
  }
}
