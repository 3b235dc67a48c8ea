"""Writes configs/NNN-name.yml, the hostile slipway.yml corpus HostileConfigTest loads.

Each file ends in comment lines "# expect: FRAGMENT" (every fragment must be in the error) and optionally
"# secret: TEXT" (which the error must not repeat); they come last so that the line numbers the errors name are
those of the body. Run it from anywhere: python3 generate.py (it rewrites every .yml in configs/).
"""
import os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs"))
BASE_HEAD = "app: hello\nbuild:\n  context: .\n"
def stage(extra="", target="local"):
    return "stages:\n  staging:\n    branch: main\n    target: %s\n%s" % (target, extra)
ECS = """    ecs:
      region: eu-west-1
      cluster: main
      service: hello
      task-definition: deploy/task.json
      ecr-repository: hello
"""
cases = []
def case(name, expects, body, secret=None, raw=None):
    cases.append((name, expects, body, secret, raw))

# --- durations: every duration key
case("timeouts-build-absurd", ["timeouts.build: must be at most 168h, found 10000000000000h"],
     BASE_HEAD + "timeouts:\n  build: 10000000000000h\n" + stage())
case("timeouts-snapshot-overflows-long", ["timeouts.snapshot: must be at most 168h, found 99999999999999999999m"],
     BASE_HEAD + "timeouts:\n  snapshot: 99999999999999999999m\n" + stage())
case("timeouts-stop-long-max", ["timeouts.stop: must be at most 168h, found 9223372036854775807h"],
     BASE_HEAD + "timeouts:\n  stop: 9223372036854775807h\n" + stage())
case("timeouts-deploy-zero", ["timeouts.deploy: must be longer than zero"],
     BASE_HEAD + "timeouts:\n  deploy: 0s\n" + stage())
case("timeouts-compensate-negative", ["timeouts.compensate: must be a duration like 500ms, 30s, 5m or 1h, found '-5m'"],
     BASE_HEAD + "timeouts:\n  compensate: -5m\n" + stage())
case("timeouts-build-one-ms-over-a-week", ["timeouts.build: must be at most 168h, found 604800001ms"],
     BASE_HEAD + "timeouts:\n  build: 604800001ms\n" + stage())
case("timeouts-build-hundred-digits", ["timeouts.build: is a number of 100 characters (line 5); at most 64 are read"],
     BASE_HEAD + "timeouts:\n  build: " + "9" * 100 + "\n" + stage())
case("timeouts-build-hundred-digits-with-unit", ["timeouts.build: must be at most 168h, found " + "9" * 40 + "… (101 characters)"],
     BASE_HEAD + "timeouts:\n  build: " + "9" * 100 + "s\n" + stage())
case("timeouts-build-words", ["timeouts.build: must be a duration like 500ms, 30s, 5m or 1h, found '30 minutes'"],
     BASE_HEAD + "timeouts:\n  build: 30 minutes\n" + stage())
case("timeouts-build-list", ["timeouts.build: must be a duration like 500ms, 30s, 5m or 1h, found a list"],
     BASE_HEAD + "timeouts:\n  build: [1m]\n" + stage())
case("migrations-timeout-over-a-week", ["migrations.timeout: must be at most 168h, found 200h"],
     BASE_HEAD + "migrations:\n  command: [migrate]\n  timeout: 200h\n" + stage())
case("health-timeout-fraction", ["health.timeout: must be a duration like 500ms, 30s, 5m or 1h, found '1.5h'"],
     BASE_HEAD + "health:\n  timeout: 1.5h\n" + stage())
case("health-timeout-absurd", ["health.timeout: must be at most 168h, found 10000000000000h"],
     BASE_HEAD + "health:\n  timeout: 10000000000000h\n" + stage())
case("lease-ttl-long-overflow", ["state.lease-ttl: must be at most 1h, found 9223372036854775807h"],
     BASE_HEAD + "state:\n  lease-ttl: 9223372036854775807h\n" + stage())
case("lease-ttl-too-short", ["state.lease-ttl: must be at least 1s, found 500ms"],
     BASE_HEAD + "state:\n  lease-ttl: 500ms\n" + stage())
case("stop-grace-too-long", ["stages.staging.local.stop-grace: must be at most 1h, found 2h"],
     BASE_HEAD + stage("    local:\n      stop-grace: 2h\n"))
case("stop-grace-too-short", ["stages.staging.local.stop-grace: must be at least 1s, found 10ms"],
     BASE_HEAD + stage("    local:\n      stop-grace: 10ms\n"))
case("approvals-timeout-absurd", ["stages.staging.approvals.timeout: must be at most 720h, found 100000h"],
     BASE_HEAD + stage("    approvals:\n      required: 1\n      timeout: 100000h\n"))

# --- integers: every integer key
case("replicas-trillion", ["stages.staging.replicas: must be at most 100, found 1000000000000"],
     BASE_HEAD + stage("    replicas: 1000000000000\n"))
case("replicas-huge-negative", ["stages.staging.replicas: must be at least 1, found -99999999999999999999999"],
     BASE_HEAD + stage("    replicas: -99999999999999999999999\n"))
case("replicas-fraction", ["stages.staging.replicas: must be a whole number, found '2.5'"],
     BASE_HEAD + stage("    replicas: 2.5\n"))
case("replicas-infinity", ["stages.staging.replicas: must be a whole number"],
     BASE_HEAD + stage("    replicas: .inf\n"))
case("replicas-hundred-digit-number", ["stages.staging.replicas: is a number of 101 characters (line 8); at most 64 are read"],
     BASE_HEAD + stage("    replicas: 1" + "0" * 100 + "\n"))
case("health-port-out-of-range", ["health.port: must be at most 65535, found 70000"],
     BASE_HEAD + "health:\n  port: 70000\n" + stage())
case("health-port-overflows-long", ["health.port: must be at most 65535, found 99999999999999999999"],
     BASE_HEAD + "health:\n  port: 99999999999999999999\n" + stage())
case("local-port-privileged", ["stages.staging.local.port: must be at least 1024, found 80"],
     BASE_HEAD + stage("    local:\n      port: 80\n"))
case("local-port-int-overflow", ["stages.staging.local.port: must be at most 65000, found 4294967296"],
     BASE_HEAD + stage("    local:\n      port: 4294967296\n"))
case("snapshots-keep-million", ["stages.staging.snapshots.keep: must be at most 1000, found 1000001"],
     BASE_HEAD + stage("    snapshots:\n      keep: 1000001\n"))
case("snapshots-keep-quoted", ["stages.staging.snapshots.keep: must be a whole number, found '5'"],
     BASE_HEAD + stage("    snapshots:\n      keep: \"5\"\n"))
case("approvals-required-overflow", ["stages.staging.approvals.required: must be at most 10, found 4294967297"],
     BASE_HEAD + stage("    approvals:\n      required: 4294967297\n"))

# --- passwords in URLs and password keys
case("database-url-password-param", ["stages.staging.database.url: must not hold a password in plain text (password= in the URL); use ${env:NAME}"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://db:5432/app?user=app&password=hunter2\n"), secret="hunter2")
case("database-url-userinfo", ["stages.staging.database.url: must not hold a password in plain text (user:password@ in the URL)"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://app:hunter2@db:5432/app\n"), secret="hunter2")
case("database-url-sslpassword", ["stages.staging.database.url: must not hold a password in plain text (sslpassword= in the URL)"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://db/app?sslmode=verify-full&sslpassword=hunter2\n"), secret="hunter2")
case("database-password-plain", ["stages.staging.database.password: must not hold a password in plain text; use ${env:NAME}"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://db/app\n      password: hunter2\n"), secret="hunter2")
case("state-password-plain", ["state.password: must not hold a password in plain text; use ${env:NAME}"],
     BASE_HEAD + "state:\n  url: jdbc:postgresql://db/state\n  password: hunter2\n" + stage(), secret="hunter2")
case("state-url-password-param", ["state.url: must not hold a password in plain text (password= in the URL)"],
     BASE_HEAD + "state:\n  url: jdbc:postgresql://db/state?password=hunter2\n" + stage(), secret="hunter2")
case("state-url-userinfo", ["state.url: must not hold a password in plain text (user:password@ in the URL)"],
     BASE_HEAD + "state:\n  url: jdbc:postgresql://slipway:hunter2@db/state\n" + stage(), secret="hunter2")
case("redis-url-password", ["stages.staging.redis.url: must not hold a password in plain text (user:password@ in the URL)"],
     BASE_HEAD + stage("    redis:\n      url: redis://:hunter2@127.0.0.1:6379/0\n"), secret="hunter2")
case("pushgateway-userinfo", ["metrics.pushgateway: must not hold a password in plain text (user:password@ in the URL)"],
     BASE_HEAD + "metrics:\n  pushgateway: http://admin:hunter2@127.0.0.1:9091\n" + stage(), secret="hunter2")
case("ecs-endpoint-userinfo", ["stages.production.ecs.endpoint: must not hold a password in plain text"],
     BASE_HEAD + "stages:\n  production:\n    branch: prod\n    target: ecs\n    approvals: {required: 1}\n" + ECS
     + "      endpoint: http://key:hunter2@127.0.0.1:5001\n", secret="hunter2")
case("ecs-health-url-password-param", ["stages.production.ecs.health-url: must not hold a password in plain text (password= in the URL)"],
     BASE_HEAD + "stages:\n  production:\n    branch: prod\n    target: ecs\n    approvals: {required: 1}\n" + ECS
     + "      health-url: https://hello.example.com/healthz?password=hunter2\n", secret="hunter2")
case("build-registry-userinfo", ["build.registry: must not hold a password in plain text (user:password@ in the URL)"],
     "app: hello\nbuild:\n  context: .\n  registry: bot:hunter2@127.0.0.1:5000/demo\n" + stage(), secret="hunter2")
case("environment-url-with-password", ["stages.staging.environment.DATABASE_URL: must not hold a password in plain text (user:password@ in the URL)"],
     BASE_HEAD + stage("    environment:\n      DATABASE_URL: postgres://app:hunter2@db/app\n"), secret="hunter2")
case("migrations-command-url-with-password", ["migrations.command[3]: must not hold a password in plain text (password= in the URL)"],
     BASE_HEAD + "migrations:\n  command: [flyway, migrate, -url, \"jdbc:postgresql://db/app?password=hunter2\"]\n" + stage(), secret="hunter2")

# --- secret references
case("reference-unclosed", ["stages.staging.environment.API_KEY: holds a malformed reference '${env:X'", "or $${ for a literal ${"],
     BASE_HEAD + stage("    environment:\n      API_KEY: \"${env:X\"\n"))
case("reference-empty-name", ["stages.staging.database.password: holds a malformed reference '${env:}'"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://db/app\n      password: \"${env:}\"\n"))
case("reference-dash-in-name", ["stages.staging.environment.TOKEN: holds a malformed reference '${env:MY-SECRET}'"],
     BASE_HEAD + stage("    environment:\n      TOKEN: \"${env:MY-SECRET}\"\n"))
case("reference-space-after-colon", ["state.user: holds a malformed reference '${env: X}'"],
     BASE_HEAD + "state:\n  user: \"${env: X}\"\n" + stage())
case("reference-without-env-prefix", ["stages.staging.redis.url: holds a malformed reference '${REDIS_URL}'"],
     BASE_HEAD + stage("    redis:\n      url: \"${REDIS_URL}\"\n"))
case("reference-name-starts-with-digit", ["stages.staging.database.url: holds a malformed reference '${env:1DB}'"],
     BASE_HEAD + stage("    database:\n      url: \"${env:1DB}\"\n"))
case("reference-in-app", ["app: must not contain '${': ${env:NAME} references are resolved only in"],
     "app: \"${env:APP}\"\nbuild:\n  context: .\n" + stage())
case("reference-in-build-context", ["build.context: must not contain '${'"],
     "app: hello\nbuild:\n  context: \"${env:CTX}\"\n" + stage())
case("reference-in-ecs-region", ["stages.production.ecs.region: must not contain '${'"],
     BASE_HEAD + "stages:\n  production:\n    branch: prod\n    target: ecs\n    approvals: {required: 1}\n"
     + ECS.replace("eu-west-1", "\"${env:AWS_REGION}\""))
case("reference-in-approvers", ["stages.staging.approvals.approvers[1]: must not contain '${'"],
     BASE_HEAD + stage("    approvals:\n      required: 1\n      approvers: [alice, \"${env:BOSS}\"]\n"))
case("secret-in-build-args", ["build.args.NPM_TOKEN: must not reference ${env:", "build.secrets.NPM_TOKEN", "RUN --mount=type=secret,id=NPM_TOKEN"],
     "app: hello\nbuild:\n  context: .\n  args:\n    NPM_TOKEN: ${env:NPM_TOKEN}\n" + stage())
case("build-secrets-malformed", ["build.secrets.NPM_TOKEN: holds a malformed reference '${env:NPM_TOKEN'"],
     "app: hello\nbuild:\n  context: .\n  secrets:\n    NPM_TOKEN: \"${env:NPM_TOKEN\"\n" + stage())
case("build-secrets-bad-name", ["build.secrets.\"npm token\": is not a valid variable name"],
     "app: hello\nbuild:\n  context: .\n  secrets:\n    npm token: ${env:NPM_TOKEN}\n" + stage())
case("migrations-command-malformed-reference", ["migrations.command[1]: holds a malformed reference '${env:DB'"],
     BASE_HEAD + "migrations:\n  command: [migrate, \"--password=${env:DB\"]\n" + stage())

# --- structure
case("stages-empty", ["stages: must name at least one stage"], BASE_HEAD + "stages: {}\n")
case("stages-missing", ["stages: is required: name at least one stage"], BASE_HEAD)
case("stages-a-list", ["stages: must be a mapping, found a list"], BASE_HEAD + "stages: [staging]\n")
case("top-level-a-list", ["(top level): must be a mapping, found a list"], "- app: hello\n- build: .\n")
case("top-level-a-scalar", ["(top level): must be a mapping, found 'hello'"], "hello\n")
case("migrations-command-one-string", ["migrations.command: must be a list like [java, -jar, app.jar, migrate], found 'java -jar app.jar migrate'"],
     BASE_HEAD + "migrations:\n  command: java -jar app.jar migrate\n" + stage())
case("stage-typo-suggests-stages", ["stage: unknown key; did you mean 'stages'?", "stages: is required"],
     BASE_HEAD + "stage:\n  staging:\n    branch: main\n")
case("only-comments", ["(top level): the file is empty"], "# nothing here\n# at all\n")
case("build-null", ["build: is required (at least build.context)"], "app: hello\nbuild:\n" + stage())
case("ecs-block-on-local-stage", ["stages.staging.ecs: is only valid when target is ecs"], BASE_HEAD + stage(ECS))
case("escape-sequences-in-values", ["stages.staging.replicas: must be a whole number, found '\\u001b[2J\\u001b[31mhacked'"],
     BASE_HEAD + stage("    replicas: \"\\e[2J\\e[31mhacked\"\n"))
case("control-character-in-stage-name", ["stages.\"bad\\u0007name\": stage names must be lower-case letters"],
     BASE_HEAD + "stages:\n  \"bad\\aname\":\n    branch: main\n")
case("broken-yaml-does-not-echo-the-line", ["(top level): not valid YAML at line 9", "mapping values are not allowed here"],
     BASE_HEAD + stage("    database:\n      password: hunter2: oops\n"), secret="hunter2")
case("unclosed-flow-list", ["(top level): not valid YAML at line"], BASE_HEAD + "stages: [\n")

# --- duplicates at several levels
case("duplicate-top-level-key", ["app: the key is given twice (lines 1 and 4); keep one"],
     "app: hello\nbuild:\n  context: .\napp: evil\n" + stage())
case("duplicate-stage", ["stages.staging: the key is given twice (lines 5 and 7)"],
     BASE_HEAD + "stages:\n  staging:\n    branch: main\n  staging:\n    branch: evil\n")
case("duplicate-database-key", ["stages.staging.database.url: the key is given twice (lines 9 and 10)"],
     BASE_HEAD + stage("    database:\n      url: jdbc:postgresql://db/app\n      url: jdbc:postgresql://evil/app\n"))
case("duplicate-environment-variable", ["stages.staging.environment.A: the key is given twice (lines 9 and 10)"],
     BASE_HEAD + stage("    environment:\n      A: one\n      A: two\n"))
case("duplicate-in-flow-mapping", ["build.context: the key is given twice (lines 2 and 2)"],
     "app: hello\nbuild: {context: ., context: /}\n" + stage())

# --- documents
case("second-document", ["(top level): a second YAML document (after '---') starts near line 8; slipway.yml holds exactly one document"],
     BASE_HEAD + stage() + "---\napp: evil\n")
case("second-document-a-list", ["a second YAML document"], "---\n" + BASE_HEAD + stage() + "---\n- a\n")

# --- aliases
case("alias-scalar", ["health.port: aliases (*p) are not supported (line 6); write the value out in full"],
     BASE_HEAD + "x-port: &p 8080\nhealth:\n  port: *p\n" + stage())
case("alias-merge-key", ["stages.production.\"<<\": aliases (*base) are not supported (line 8)"],
     BASE_HEAD + "stages:\n  staging: &base\n    branch: main\n  production:\n    <<: *base\n    branch: prod\n")
laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
prev = "a"
for i, n in enumerate("bcdefghi"):
    laughs += "%s: &%s [%s]\n" % (n, n, ", ".join("*" + prev for _ in range(9)))
    prev = n
case("billion-laughs", ["aliases (*a) are not supported"], "x-laughs:\n" + "".join("  " + l for l in laughs.splitlines(True)) + BASE_HEAD + stage())

# --- depth and size
deep = "".join("  " * i + "k%d:\n" % i for i in range(40)) + "  " * 40 + "v\n"
case("deep-block-nesting", ["nested more than 16 levels deep"], BASE_HEAD + stage("    environment:\n" + "".join("      " + l for l in deep.splitlines(True))))
case("deep-flow-nesting", ["nested more than 16 levels deep"], BASE_HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n" + stage())
case("value-too-long", ["stages.staging.environment.BIG: has 20000 characters (line 9); a key or value may have at most 16384"],
     BASE_HEAD + stage("    environment:\n      BIG: " + "x" * 20000 + "\n"))
case("key-too-long", ["has 20000 characters (line 9); a key or value may have at most 16384"],
     BASE_HEAD + stage("    environment:\n      " + "K" * 20000 + ": v\n"))
case("binary-tag", ["stages.staging.environment.B: values with tag:yaml.org,2002:binary are not supported (line 9)"],
     BASE_HEAD + stage("    environment:\n      B: !!binary aGVsbG8=\n"))

# --- encoding
case("latin1-byte", ["not valid UTF-8 (byte 0xF6 at offset"], None,
     raw=(b"# expect: not valid UTF-8 (byte 0xF6 at offset\n# expect: line 3)\n" + BASE_HEAD.replace("hello", "h\xf6llo").encode("latin-1") + stage().encode()))
case("utf16-with-bom", ["not valid UTF-8 (byte 0xFF at offset 0, line 1)"], None,
     raw=b"\xff\xfe" + (BASE_HEAD + stage()).encode("utf-16-le") + b"\n# expect: not valid UTF-8 (byte 0xFF at offset 0, line 1)\n")
case("overlong-encoding", ["not valid UTF-8 (byte 0xC0 at offset"], None,
     raw=b"# expect: not valid UTF-8 (byte 0xC0 at offset\n" + BASE_HEAD.encode() + b"x: \xc0\xaf\n" + stage().encode())
case("truncated-multibyte-at-end", ["not valid UTF-8 (byte 0xE2 at offset"], None,
     raw=b"# expect: not valid UTF-8 (byte 0xE2 at offset\n" + (BASE_HEAD + stage()).encode() + b"x: \xe2\x82")
case("nul-byte", ["(top level): not valid YAML", "special characters are not allowed"], None,
     raw=b"# expect: (top level): not valid YAML\n# expect: special characters are not allowed\n" + BASE_HEAD.encode() + b"x: a\x00b\n" + stage().encode())

for f in os.listdir("."):
    if f.endswith(".yml") or f.endswith(".bin"):
        os.remove(f)
for i, (name, expects, body, secret, raw) in enumerate(cases, 1):
    fn = "%03d-%s.yml" % (i, name)
    if raw is not None:
        data = raw
    else:
        head = "".join("# expect: %s\n" % e for e in expects)
        if secret:
            head += "# secret: %s\n" % secret
        # header lines shift line numbers: expectations above count lines of the body, so the header goes last
        data = (body + ("" if body.endswith("\n") else "\n") + head).encode()
    open(fn, "wb").write(data)
print(len(cases))
