-- Audit entries written before retention unlinked them keep `report/<id>` for reports long
-- deleted: they lose the id now, as later ones do when their report goes.
UPDATE audit SET target = 'report'
WHERE target LIKE 'report/%' AND substr(target, 8) NOT IN (SELECT id FROM reports);
-- Failed sign-ins were first kept under the name as typed; they are now kept under its SHA-256,
-- so the rows kept as typed go (they only slow an attacker down, and expire within a day).
DELETE FROM sign_in_failures;
