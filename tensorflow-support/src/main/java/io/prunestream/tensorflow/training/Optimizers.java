package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.model.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The optimizers of the training graphs: the weights' training, and gates trained with the weights frozen. */
public final class Optimizers {

    private Optimizers() {
    }

    /**
     * The ops of one optimizer step on {@code variables} (SGD with momentum or Adam, as {@code spec} says, at
     * {@code learningRate}); their slots are created in {@code builder}, initial value 0.
     */
    public static List<Op> updates(Ops train, GraphBuilder builder, List<Variable<TFloat32>> variables,
            Operand<TFloat32> loss, OptimizerSpec spec, Operand<TFloat32> learningRate) {
        Gradients all = train.gradients(loss, variables);
        // Every update waits for every gradient: an update must not change a weight that another layer's
        // back-propagation still reads (that made runs of one seed differ, and steps slightly wrong).
        List<Operand<TFloat32>> gradients = new ArrayList<>();
        List<Op> computed = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Identity<TFloat32> gradient = train.identity(gradient(all, i));
            gradients.add(gradient);
            computed.add(gradient);
        }
        Ops slots = train.withSubScope("slots");
        Ops apply = train.withControlDependencies(computed);
        List<Op> updates = new ArrayList<>();
        if ("adam".equals(spec.name())) {
            float beta1 = 0.9f;
            float beta2 = 0.999f;
            Variable<TFloat32> beta1Power = builder.constantVariable(slots, "beta1_power", Shape.scalar(), beta1,
                    false);
            Variable<TFloat32> beta2Power = builder.constantVariable(slots, "beta2_power", Shape.scalar(), beta2,
                    false);
            for (int i = 0; i < variables.size(); i++) {
                Variable<TFloat32> variable = variables.get(i);
                Shape shape = variable.shape();
                String name = slotName(variable);
                updates.add(apply.train.applyAdam(variable,
                        builder.constantVariable(slots, name + "_m", shape, 0f, false),
                        builder.constantVariable(slots, name + "_v", shape, 0f, false),
                        beta1Power, beta2Power, learningRate, train.constant(beta1), train.constant(beta2),
                        train.constant(1e-7f), gradients.get(i)));
            }
            Ops after = train.withControlDependencies(List.copyOf(updates));
            updates.add(after.assign(beta1Power, after.math.mul(beta1Power, after.constant(beta1))));
            updates.add(after.assign(beta2Power, after.math.mul(beta2Power, after.constant(beta2))));
        } else {
            Operand<TFloat32> momentum = train.constant(spec.momentum().floatValue());
            for (int i = 0; i < variables.size(); i++) {
                Variable<TFloat32> variable = variables.get(i);
                updates.add(apply.train.applyMomentum(variable,
                        builder.constantVariable(slots, slotName(variable) + "_momentum", variable.shape(), 0f, false),
                        learningRate, gradients.get(i), momentum));
            }
        }
        return updates;
    }

    @SuppressWarnings("unchecked")
    private static Output<TFloat32> gradient(Gradients gradients, int i) {
        Output<?> dy = gradients.dy(i);
        return (Output<TFloat32>) dy;
    }

    private static String slotName(Variable<TFloat32> variable) {
        return variable.op().name().replace('/', '_');
    }
}
