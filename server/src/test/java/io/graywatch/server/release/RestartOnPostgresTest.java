package io.graywatch.server.release;

class RestartOnPostgresTest extends RestartTests {
    @Override
    String database() {
        return "postgres";
    }
}
