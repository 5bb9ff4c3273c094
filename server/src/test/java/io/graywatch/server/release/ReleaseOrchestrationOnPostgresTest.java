package io.graywatch.server.release;

import io.graywatch.server.testing.OnPostgres;

@OnPostgres
class ReleaseOrchestrationOnPostgresTest extends ReleaseOrchestrationTests {
}
