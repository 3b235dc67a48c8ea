-- Demo v4: a breaking migration. No version of hello-server reads visits.path (v2 added it with the table), so
-- the new code does not need it; the old code could still be writing it, which is why Slipway stops the old
-- release before this runs (strategy auto picks stop-first for a DROP COLUMN), with the proxy holding requests.
alter table visits drop column "path"; -- quoted: the classifier's parser (JSqlParser) reads PATH as a keyword
