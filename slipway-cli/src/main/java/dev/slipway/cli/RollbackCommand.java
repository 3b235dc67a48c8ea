package dev.slipway.cli;

import dev.slipway.core.spec.SlipwaySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rollback", description = {"Puts the release before the current one back on STAGE, with the image it was built with.",
        "Runs no migrations and leaves the database as it is (restore a snapshot separately if you must)."})
final class RollbackCommand extends StageCommand implements Callable<Integer> {
    @Mixin
    Requester requester;

    @Override
    public Integer call() {
        Interrupts interrupts = Interrupts.install(err());
        boolean json = project.json();
        SlipwaySpec spec = specWithStage();
        return RunDriver.drive(spec, stage, json, out(), interrupts, engine -> engine.requestRollback(stage, requester.orCurrent()));
    }
}
