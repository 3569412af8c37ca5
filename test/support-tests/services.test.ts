import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { Client } from 'pg';
import { startAzurite } from '../../dev/azurite';
import { startPostgres } from '../support/postgres';
import { tempDir } from '../support/testHost';

describe('services the tests start for themselves', () => {
  it('starts a throwaway PostgreSQL cluster that takes password logins and stops cleanly', async () => {
    const pg = await startPostgres();
    const client = new Client({ connectionString: pg.url });
    try {
      await client.connect();
      await client.query('create table notes (id serial primary key, body text not null)');
      await client.query('insert into notes (body) values ($1), ($2)', ['one', 'two']);
      const { rows } = await client.query<{ count: string }>('select count(*) from notes');
      assert.equal(rows[0]?.count, '2');
    } finally {
      await client.end();
      await pg.stop();
    }
    if (!process.env.DATABASE_URL) {
      const late = new Client({ connectionString: pg.url, connectionTimeoutMillis: 2000 });
      await assert.rejects(late.connect(), 'the cluster is gone after stop');
    }
  });

  it('refuses a wrong password', async (t) => {
    if (process.env.DATABASE_URL) return t.skip('DATABASE_URL points at a server this test did not start');
    const pg = await startPostgres();
    try {
      const wrong = new URL(pg.url);
      wrong.password = 'not-the-password';
      const client = new Client({ connectionString: wrong.href });
      await assert.rejects(client.connect(), /password authentication failed/);
    } finally {
      await pg.stop();
    }
  });

  it('starts Azurite on free ports and serves blobs through the real SDK', async () => {
    const azurite = await startAzurite({ location: tempDir('azurite') });
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      const container = service.getContainerClient('probe');
      await container.create();
      await container.getBlockBlobClient('hello.txt').upload('hello', 5);
      const body = await container.getBlobClient('hello.txt').downloadToBuffer();
      assert.equal(body.toString(), 'hello');
    } finally {
      await azurite.stop();
    }
  });
});
