package dev.epochstream.learner.optim;

/**
 * Skeleton of an optimizer whose update is independent per scalar: one call of {@link #update} per
 * tensor and step, over either the whole tensor or only the touched columns of the sparse tensor.
 *
 * <p>The kernel walks "column runs": for each start in {@code starts[0 .. count)} the elements
 * {@code start, start + stride, ...} below the tensor size. A dense tensor is the single run
 * {@code start = 0, stride = 1}; a column {@code c} of a row-major {@code [rows][cols]} tensor is
 * {@code start = c, stride = cols}. Per-step scalars (bias corrections, ...) are thus computed once per
 * tensor, and no index list is allocated.
 *
 * <p>The kernel reads the gradient of the visited elements from {@code grad}, packed row by row: element
 * {@code starts[r] + o·stride} at {@code grad[o·count + r]}. For the dense run that is the tensor's own
 * gradient ({@link Parameters#grad}); for the touched columns of the sparse tensor it is
 * {@link Parameters#packedGrad()}, so that a sparse step never visits the wide dense gradient.
 */
abstract class ElementwiseOptimizer implements Optimizer {

    /** The single run covering a dense tensor; never written. */
    static final int[] DENSE = {0};

    /** Buffers per tensor; buffer {@code k * slots + s} is slot s of tensor k. */
    final int slots;
    /**
     * True when updates of the sparse tensor may be restricted to its touched columns: always for
     * optimizers that are exact under zero gradients, only with {@code lazy} for the others.
     */
    private final boolean sparseUpdates;

    ElementwiseOptimizer(int slots, boolean sparseUpdates) {
        this.slots = slots;
        this.sparseUpdates = sparseUpdates;
    }

    /** With sparse updates, {@link #step} writes only the touched columns of the sparse tensor and of its slots. */
    @Override
    public boolean changesOnlyTouchedColumns(Parameters params, OptimizerState state) {
        return sparseUpdates && params.sparseTensor() >= 0;
    }

    /** Buffer {@code k * slots + s} is slot s of tensor k; buffers after the slots belong to no tensor. */
    @Override
    public int bufferTensor(int buffer, Parameters params) {
        return buffer < params.count() * slots ? buffer / slots : -1;
    }

    /** {@link #slots} zeroed buffers per tensor, as torch initialises its moments. */
    @Override
    public OptimizerState newState(Parameters params) {
        return new OptimizerState(0, zeroedSlots(params, slots));
    }

    /**
     * Updates the elements of {@code tensor} in the given column runs for step {@code step} (1-based:
     * torch's {@code state['step']} after its increment): {@code value} is the tensor's values, {@code n} their
     * count, {@code buffers} the state buffers (the tensor's slots at {@code tensor · slots + s}), and the
     * gradient is read packed as the class comment says. {@link #step} passes the tensor's own arrays;
     * {@link #stepPacked} passes packed copies of the sparse tensor's touched columns as a dense run. Allocates
     * nothing.
     */
    abstract void update(double[] value, double[][] buffers, int tensor, long step, double lr,
                         int[] starts, int count, int stride, int n, double[] grad);

    @Override
    public void step(Parameters params, OptimizerState state, double lr) {
        long step = state.step() + 1;
        int sparse = sparseUpdates ? params.sparseTensor() : -1;
        for (int k = 0; k < params.count(); k++) {
            if (k == sparse) {
                updateTouched(params, state, k, step, lr);
            } else {
                updateWhole(params, state, k, step, lr);
            }
        }
        state.setStep(step);
    }

    /**
     * When the step changes only the touched columns of the sparse tensor and {@link #packedPays()}: every
     * elementwise optimizer can run {@link #stepPacked}, but it pays only where the dense run vectorises.
     */
    @Override
    public final boolean updatesPacked(Parameters params, OptimizerState state) {
        return packedPays() && changesOnlyTouchedColumns(params, state);
    }

    /**
     * True when a dense run of {@link #update} over packed copies beats the in-place update of the touched
     * columns by more than writing the copies back costs (measured: Adagrad, whose dense run vectorises, gains;
     * FTRL, whose per-coordinate branch keeps it scalar and which writes three arrays back, loses). False by
     * default.
     */
    boolean packedPays() {
        return false;
    }

    /**
     * {@link #step} with the sparse tensor's touched columns updated as one dense run over their packed copies:
     * every element's update depends only on its own value, state and gradient, so this gives the same doubles,
     * and a dense run over contiguous arrays is one the JIT can vectorise.
     */
    @Override
    public void stepPacked(Parameters params, OptimizerState state, double lr, double[] packedValue,
                           double[][] packedBuffers) {
        long step = state.step() + 1;
        int sparse = params.sparseTensor();
        for (int k = 0; k < params.count(); k++) {
            if (k == sparse) {
                update(packedValue, packedBuffers, k, step, lr, DENSE, 1, 1, params.rows(k) * params.touchedCount(),
                        params.packedGrad());
            } else {
                updateWhole(params, state, k, step, lr);
            }
        }
        state.setStep(step);
    }

    /** Updates every element of tensor {@code k}. */
    final void updateWhole(Parameters params, OptimizerState state, int k, long step, double lr) {
        update(params.value(k), state.buffers(), k, step, lr, DENSE, 1, 1, params.size(k), params.grad(k));
    }

    /** Updates the touched columns of the sparse tensor {@code k} in place. */
    final void updateTouched(Parameters params, OptimizerState state, int k, long step, double lr) {
        update(params.value(k), state.buffers(), k, step, lr, params.touchedColumns(), params.touchedCount(),
                params.cols(k), params.size(k), params.packedGrad());
    }

    /** {@code slots} zeroed buffers per tensor, tensor-major: buffer {@code k * slots + s}. */
    static double[][] zeroedSlots(Parameters params, int slots) {
        double[][] buffers = new double[params.count() * slots][];
        for (int k = 0; k < params.count(); k++) {
            for (int s = 0; s < slots; s++) {
                buffers[k * slots + s] = new double[params.size(k)];
            }
        }
        return buffers;
    }
}
