-- extension/scripts/demo.sql -- what tmebox does today, in one psql run
--
-- Run by "extension/scripts/tmebox-dev.sh demo" against its temporary
-- cluster.  Leaves nothing behind: the extension, the tenants and the demo
-- role are dropped at the end (the cluster-wide role tmebox_admin stays).
\set ON_ERROR_STOP 1
\pset null '(null)'

DROP EXTENSION IF EXISTS tmebox;
DROP ROLE IF EXISTS demo_acme;
CREATE EXTENSION tmebox;

\echo
\echo '== Which KeyID backend is in use, and why'
SELECT backend, reason FROM tmebox.backend();
SHOW tmebox.backend;
SELECT tmebox.max_keyid();

\echo
\echo '== Tenants get the lowest free KeyID (never 0, the host''s)'
CREATE ROLE demo_acme;
SELECT tmebox.create_tenant('acme', owner => 'demo_acme', memory_limit => '64MB');
SELECT tmebox.create_tenant('globex', memory_limit => '512MB');
SELECT tmebox.create_tenant('initech');
SELECT name, owner, keyid, pg_size_pretty(memory_limit) AS memory_limit
FROM tmebox.tenants ORDER BY keyid;

\echo
\echo '== A dropped tenant''s KeyID is reused'
SELECT tmebox.drop_tenant('globex');
SELECT tmebox.create_tenant('umbrella', memory_limit => '1GB');
SELECT tmebox.alter_tenant('acme', memory_limit => '128MB');
SELECT name, owner, keyid, pg_size_pretty(memory_limit) AS memory_limit
FROM tmebox.tenants ORDER BY keyid;

\echo
\echo '== Mistakes are PostgreSQL errors and change nothing'
\set ON_ERROR_STOP 0
\set VERBOSITY default
SELECT tmebox.create_tenant('acme');
SELECT tmebox.create_tenant('Bad Name');
SELECT tmebox.create_tenant('hooli', memory_limit => '64 parsecs');
SELECT tmebox.create_tenant('hooli', memory_limit => '4GB');
SET ROLE demo_acme;
SELECT tmebox.create_tenant('hooli');
RESET ROLE;
SET tmebox.max_keyids = 3;
SELECT tmebox.create_tenant('hooli');
RESET tmebox.max_keyids;
\set ON_ERROR_STOP 1
SELECT count(*) AS tenants FROM tmebox.tenants;

\echo
\echo '== Clean up'
SELECT tmebox.drop_tenant(name) FROM tmebox.tenants ORDER BY name;
DROP EXTENSION tmebox;
DROP ROLE demo_acme;
