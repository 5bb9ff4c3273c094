package io.graywatch.server.api;

import io.graywatch.server.testing.OnPostgres;

@OnPostgres
class ApiOnPostgresTest extends ApiTests {
}
