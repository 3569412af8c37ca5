import { InvocationContext } from '@azure/functions';
import type { ServerAccess } from './testbed';
import { sql } from './testbed';

/**
 * Creates `name`: a small shop with several tables, foreign keys, indexes (b-tree, unique, GIN), an
 * identity column, serials, a free-standing sequence moved on, a view, a comment, and a few thousand rows.
 */
export async function createShopDatabase(server: ServerAccess, name: string): Promise<void> {
  await sql(server, 'postgres', `CREATE DATABASE ${name}`);
  await sql(
    server,
    name,
    `
    CREATE SEQUENCE invoice_number_seq START 1000 INCREMENT 7;
    CREATE TABLE customers (
      id serial PRIMARY KEY,
      name text NOT NULL,
      email text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL
    );
    COMMENT ON TABLE customers IS 'people who buy';
    CREATE TABLE products (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sku text NOT NULL UNIQUE,
      price numeric(10, 2) NOT NULL CHECK (price >= 0),
      tags text[] NOT NULL DEFAULT '{}'
    );
    CREATE TABLE orders (
      id bigserial PRIMARY KEY,
      customer_id integer NOT NULL REFERENCES customers (id),
      placed_at timestamptz NOT NULL,
      invoice_number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
      details jsonb NOT NULL
    );
    CREATE INDEX orders_placed_at ON orders (placed_at);
    CREATE INDEX orders_details ON orders USING gin (details);
    CREATE TABLE order_lines (
      order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      line smallint NOT NULL,
      product_id integer NOT NULL REFERENCES products (id),
      quantity integer NOT NULL,
      PRIMARY KEY (order_id, line)
    );
    CREATE VIEW customer_totals AS
      SELECT o.customer_id, count(*) AS orders, sum(l.quantity * p.price) AS spent
      FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
      GROUP BY o.customer_id;
    INSERT INTO customers (name, email, created_at)
      SELECT 'Customer ' || g, 'c' || g || '@example.com', timestamptz '2024-01-01 00:00Z' + g * interval '1 hour'
      FROM generate_series(1, 1500) g;
    INSERT INTO products (sku, price, tags)
      SELECT 'SKU-' || lpad(g::text, 5, '0'), (g % 97) + 0.99, ARRAY['t' || (g % 5), 'u' || (g % 7)]
      FROM generate_series(1, 400) g;
    INSERT INTO orders (customer_id, placed_at, details)
      SELECT 1 + (g * 7) % 1500, timestamptz '2024-06-01 00:00Z' + g * interval '13 minutes',
             jsonb_build_object('channel', CASE WHEN g % 3 = 0 THEN 'web' ELSE 'store' END, 'note', md5(g::text))
      FROM generate_series(1, 3000) g;
    INSERT INTO order_lines
      SELECT o, l, 1 + (o * l) % 400, 1 + (o + l) % 9 FROM generate_series(1, 3000) o, generate_series(1, 3) l;
    DELETE FROM orders WHERE id % 500 = 0;
    `,
  );
}

/** What must survive a restore: each table's row count and a digest of its rows, and each sequence's position. */
export async function contentsOf(server: ServerAccess, database: string): Promise<Record<string, unknown>> {
  const tables = (await sql(
    server,
    database,
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as { name: string }[];
  const contents: Record<string, unknown> = {};
  for (const { name } of tables) {
    const [row] = await sql(
      server,
      database,
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
       FROM public.${name} t`,
    );
    contents[`table ${name}`] = row;
  }
  const sequences = await sql(
    server,
    database,
    `SELECT sequencename AS name, last_value::text AS "lastValue" FROM pg_sequences
     WHERE schemaname = 'public' ORDER BY sequencename`,
  );
  contents.sequences = sequences;
  return contents;
}

/** A real InvocationContext whose log lines are kept, to check what an activity logged. */
export function recordingContext(functionName: string): InvocationContext & { lines: string[] } {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName,
    invocationId: `test-${functionName}`,
    logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
  });
  return Object.assign(context, { lines });
}
