package io.graywatch.cli;

import io.graywatch.agent.AgentCommand;
import io.graywatch.agent.logs.LogsCommand;
import io.graywatch.replay.CorpusCommand;
import io.graywatch.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command-line entry. Each subcommand lives beside the feature it drives. */
@Command(name = "graywatch", mixinStandardHelpOptions = true, version = "graywatch 0.1.0",
        description = "Unattended gray (canary) releases: roll out in batches, guard, intercept, replay.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                AgentCommand.class,
                LogsCommand.class,
                ReplayCommand.class,
                CorpusCommand.class,
        })
public class Graywatch implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Graywatch());
        // the demo passes --name=value Spring properties to the server; other commands keep refusing unknown options
        cli.getSubcommands().get("demo").setUnmatchedOptionsArePositionalParams(true);
        System.exit(cli.execute(args));
    }
}
