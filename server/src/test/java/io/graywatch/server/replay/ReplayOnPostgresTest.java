package io.graywatch.server.replay;

import io.graywatch.server.testing.OnPostgres;

@OnPostgres
class ReplayOnPostgresTest extends ReplayTests {
}
