package dev.epochstream.learner.train;

import dev.epochstream.learner.loss.Loss;
import dev.epochstream.learner.nn.Gemm;
import dev.epochstream.learner.nn.Network;
import dev.epochstream.learner.nn.Workspace;
import dev.epochstream.learner.optim.GradientClipping;
import dev.epochstream.learner.optim.Optimizer;
import dev.epochstream.learner.optim.OptimizerState;
import dev.epochstream.learner.optim.Parameters;

/**
 * One mini-batch update, the per-batch hot path shared by the job, replay and the benchmarks:
 * forward, loss, backprop, optional clipping by global norm, the optimizer step, and a guard that
 * refuses any update leaving a parameter or an optimizer buffer non-finite. A refused update restores
 * parameters and optimizer state bit for bit from preallocated backups and is reported to the caller.
 *
 * <p>What the optimizer may change is saved and checked by an {@link UpdateBackup}: for a sparse step of an
 * optimizer that updates only the touched columns, only those columns of the first layer (so a step of a
 * 2^20-input model costs its non-zeros, not 2^20). A parameter or buffer that the step cannot change is not
 * re-checked. Such an optimizer that also updates each element on its own ({@link Optimizer#updatesPacked})
 * is run on the backup's packed copies of those columns ({@link Optimizer#stepPacked}): the copies are checked
 * (contiguous, so cheaply) and written back only when the step is accepted, so a refused step leaves the
 * columns untouched, and the update runs as a dense loop over contiguous arrays.
 *
 * <p>Fill {@link #workspace()}'s input and targets, then call {@link #step}. Allocates nothing in
 * steady state (the optimizer-state backup is allocated once per layout).
 */
public final class TrainingStep {
    private final Network network;
    private final Workspace workspace;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final UpdateBackup backup;
    private double lastLoss = Double.NaN;

    /** @param clipNorm maximum global gradient norm, or NaN for no clipping */
    public TrainingStep(Network network, Loss loss, Optimizer optimizer, double clipNorm, int maxBatch,
                        boolean sparseInput) {
        this(network, loss, optimizer, clipNorm, maxBatch, sparseInput, Gemm.REPRODUCIBLE);
    }

    /**
     * @param clipNorm maximum global gradient norm, or NaN for no clipping
     * @param gemm how the workspace computes the dense products
     */
    public TrainingStep(Network network, Loss loss, Optimizer optimizer, double clipNorm, int maxBatch,
                        boolean sparseInput, Gemm gemm) {
        this.network = network;
        this.workspace = new Workspace(network, loss, maxBatch, sparseInput, gemm);
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.backup = new UpdateBackup(network.parameters());
    }

    public Workspace workspace() {
        return workspace;
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss of the batch before the latest step (NaN before the first). */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * Trains on the batch in {@link #workspace()}. Returns true when the update was applied; false when
     * it was refused because the loss, the gradients or the updated parameters or optimizer state were
     * not finite, in which case parameters and {@code state} are exactly as before the call, except that
     * work earlier steps deferred on the batch's columns ({@link Optimizer#catchUpColumns}: weight decay on
     * skipped sparse columns) stays done: it belongs to those earlier steps, and never leaves a value non-finite
     * (an element whose catch-up would overflow keeps its value: see {@code CatchUpOptimizer}).
     */
    public boolean step(OptimizerState state, double lr) {
        // the forward pass reads the batch's columns as the dense run would (deferred weight decay applied)
        workspace.catchUpInputColumns(optimizer, state);
        return step(state, lr, workspace.computeGradients());
    }

    /**
     * {@link #step} on the workspace's latest forward pass, which must be the batch's under the current
     * parameters (e.g. kept from a scoring pass with {@link Workspace#keepFirstRows}): skips the forward pass.
     */
    public boolean stepOnForward(OptimizerState state, double lr) {
        return step(state, lr, workspace.backward());
    }

    private boolean step(OptimizerState state, double lr, double loss) {
        Parameters params = network.parameters();
        lastLoss = loss;
        if (!Double.isFinite(loss)) {
            return false;
        }
        if (!Double.isNaN(clipNorm)) {
            double norm = GradientClipping.clipByGlobalNorm(params, clipNorm);
            // A NaN norm means a NaN gradient: refused here. An infinite one from finite gradients (their squares
            // overflowed) scaled them by max_norm / (inf + 1e-6) = 0, and the step goes on with zero gradients
            // (weight decay and moment decay still apply), as torch's clip_grad_norm_ then optimizer.step() do;
            // from an infinite gradient, 0 · inf is NaN and the guard below refuses the step.
            if (Double.isNaN(norm)) {
                return false;
            }
        }
        backup.save(params, state, optimizer);
        if (backup.savedByColumns() && optimizer.updatesPacked(params, state)) {
            // the touched columns are updated in the backup's packed copies and written back only if all is finite
            optimizer.stepPacked(params, state, lr, backup.packedValues(), backup.packedBuffers());
            if (backup.packedStepAllFinite(params, state, optimizer)) {
                backup.commitPacked(params, state, optimizer);
                return true;
            }
            backup.restoreAfterPacked(params, state, optimizer);
            return false;
        }
        optimizer.step(params, state, lr);
        if (backup.changedAllFinite(params, state, optimizer)) {
            return true;
        }
        backup.restore(params, state, optimizer);
        return false;
    }
}
