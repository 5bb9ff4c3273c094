package io.graywatch.server.logs;

import io.graywatch.server.testing.OnH2;

@OnH2
class AgentLogsOnH2Test extends AgentLogsTests {
}
