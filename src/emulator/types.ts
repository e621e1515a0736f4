/**
 * Emulator public types (re-exported by src/emulator/index.ts): options, the demo seed
 * description and the running emulator handle.
 */
export interface EmulatorOptions {
  /** @default 4001; 0 = ephemeral */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** SQLite file path or ':memory:'. @default ':memory:' */
  db?: string;
  /** Applied only when the database is empty. @default 'demo' */
  seed?: 'demo' | 'none';
  /** The demo admin's key. @default env EMULATOR_API_KEY, else a generated one */
  apiKey?: string;
  /** Enables the /__emulator/* controls. @default false */
  dev?: boolean;
  /** Where start-up lines go. @default console.log */
  log?: (line: string) => void;
}

export interface SeedUser {
  id: string;
  email: string;
  apiKey: string;
}

export interface SeedProject {
  id: string;
  title: string;
  assetCount: number;
}

export interface DemoSeed {
  organizationId: string;
  users: { admin: SeedUser; labeler: SeedUser; reviewer: SeedUser; outsider: SeedUser };
  projects: { text: SeedProject; image: SeedProject; outsider: SeedProject };
}

export interface Emulator {
  /** 'http://HOST:PORT/api/label/v2/graphql' */
  url: string;
  /** 'http://HOST:PORT' */
  origin: string;
  /** The admin key. */
  apiKey: string;
  /** The demo seed (null with seed 'none'); updated by `POST /__emulator/reset`. */
  demo: DemoSeed | null;
  /** Stops the server (aborting hanging requests) and closes the database. */
  close(): Promise<void>;
}
