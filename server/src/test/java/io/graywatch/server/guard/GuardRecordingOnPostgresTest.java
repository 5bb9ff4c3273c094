package io.graywatch.server.guard;

import io.graywatch.server.testing.OnPostgres;

@OnPostgres
class GuardRecordingOnPostgresTest extends GuardRecordingTests {
}
