-- backend: KeyID backend detection, tmebox.backend(), tmebox.max_keyid()
-- and the settings tmebox.backend and tmebox.max_keyids.
--
-- The output is the same on machines with and without TME-MK: what differs
-- between them is checked for consistency, not printed.

-- the settings exist once the library is loaded (any tmebox function does)
LOAD 'tmebox';
SHOW tmebox.backend;
SHOW tmebox.max_keyids;

-- the TME-MK kernel's encrypt_mprotect number (451 in Intel Labs' 5.15
-- port, a setting since other series used other numbers) and key algorithm
SHOW tmebox.encrypt_mprotect_syscall;
SHOW tmebox.tme_mk_algorithm;
SET tmebox.encrypt_mprotect_syscall = 0;
SET tmebox.tme_mk_algorithm = 'aes-xts-512';
SET tmebox.tme_mk_algorithm = 'aes-xts-128-i';
SHOW tmebox.tme_mk_algorithm;
RESET tmebox.tme_mk_algorithm;

-- one of the two backends, with a reason that agrees with it
SELECT backend IN ('emulated', 'tme-mk') AS known_backend,
       reason ~ '^tme-mk (un)?available: .' AS has_reason,
       (backend = 'tme-mk') = (reason LIKE 'tme-mk available: %') AS consistent
FROM tmebox.backend();
SELECT tmebox.max_keyid() BETWEEN 1 AND 32767 AS max_keyid_in_range;

-- tme-mk is refused exactly where auto does not pick it, with the failed
-- checks in the detail; the setting is left alone
DO $$
DECLARE
	auto_backend text;
	state text := 'accepted';
	detail text;
BEGIN
	SELECT backend INTO auto_backend FROM tmebox.backend();
	BEGIN
		PERFORM set_config('tmebox.backend', 'tme-mk', true);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
								detail = PG_EXCEPTION_DETAIL;
	END;
	IF (auto_backend = 'tme-mk' AND state = 'accepted') OR
	   (auto_backend = 'emulated' AND state = '22023' AND
		detail LIKE 'The tme-mk KeyID backend is not available on this machine. Failed checks: _%.')
	THEN
		RAISE NOTICE 'tme-mk setting agrees with detection';
	ELSE
		RAISE EXCEPTION 'auto chose %, SET tme-mk gave % (%)',
			auto_backend, state, detail;
	END IF;
END
$$;
SHOW tmebox.backend;

-- emulated can always be chosen, and says it was chosen
SET tmebox.backend = 'emulated';
SELECT backend, reason LIKE 'selected by tmebox.backend; tme-mk %' AS says_why
FROM tmebox.backend();
SELECT tmebox.max_keyid();

-- tmebox.max_keyids only lowers the maximum
SET tmebox.max_keyids = 3;
SELECT tmebox.max_keyid();
SET tmebox.max_keyids = 0;
SET tmebox.max_keyids = 32768;
SHOW tmebox.max_keyids;
RESET tmebox.max_keyids;
SELECT tmebox.max_keyid();

-- bad values and misspelt settings
SET tmebox.backend = 'aes';
SET tmebox.backend = '';
SET tmebox.backends = 'emulated';
RESET tmebox.backend;
SHOW tmebox.backend;

-- tme-mk set before the library is loaded (a placeholder, no check yet):
-- on loading, PostgreSQL would only warn and keep "auto"; tmebox instead
-- refuses to work until the setting is changed
\c -
SET tmebox.backend = 'tme-mk';
SET client_min_messages = error;
DO $$
DECLARE
	got text;
	state text := 'accepted';
	auto_backend text;
BEGIN
	BEGIN
		SELECT backend INTO got FROM tmebox.backend();
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
	END;
	PERFORM set_config('tmebox.backend', 'auto', true);
	SELECT backend INTO auto_backend FROM tmebox.backend();
	IF NOT ((auto_backend = 'tme-mk' AND got = 'tme-mk') OR
			(auto_backend = 'emulated' AND state = '0A000')) THEN
		RAISE EXCEPTION 'auto chose %, tme-mk set before loading gave % / %',
			auto_backend, state, got;
	END IF;
END
$$;
RESET client_min_messages;
SELECT 'preloaded tme-mk setting handled' AS result;
RESET tmebox.backend;
SELECT backend IN ('emulated', 'tme-mk') AS works_again FROM tmebox.backend();

-- anyone may look, only superusers may set
CREATE ROLE regress_backend_user;
SET ROLE regress_backend_user;
SELECT backend IN ('emulated', 'tme-mk') AS known_backend FROM tmebox.backend();
SELECT tmebox.max_keyid() BETWEEN 1 AND 32767 AS max_keyid_in_range;
SET tmebox.backend = 'emulated';
SET tmebox.max_keyids = 3;
SET tmebox.encrypt_mprotect_syscall = 335;
SET tmebox.tme_mk_algorithm = 'aes-xts-256';
RESET ROLE;
DROP ROLE regress_backend_user;
