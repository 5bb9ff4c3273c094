package io.graywatch.server.logs;

import io.graywatch.server.testing.OnPostgres;

@OnPostgres
class AgentLogsOnPostgresTest extends AgentLogsTests {
}
