"""Keras reference for keras.optimizers.schedules: each schedule's value at
many steps (int and float steps), its config, and a schedule inside an
optimizer (the learning rate it reports after some steps)."""
import json

from refkit import Reference, keras, np

ref = Reference()
S = keras.optimizers.schedules

CASES = {
    "exponential": S.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5),
    "exponential_staircase": S.ExponentialDecay(0.1, decay_steps=7, decay_rate=0.9,
                                                staircase=True),
    "piecewise": S.PiecewiseConstantDecay([10, 25, 40], [1.0, 0.5, 0.1, 0.01]),
    "polynomial": S.PolynomialDecay(0.1, decay_steps=30),
    "polynomial_power_cycle": S.PolynomialDecay(0.1, decay_steps=30, end_learning_rate=0.001,
                                                power=2.0, cycle=True),
    "polynomial_power": S.PolynomialDecay(0.2, decay_steps=25, end_learning_rate=0.01, power=0.5),
    "inverse_time": S.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5),
    "inverse_time_staircase": S.InverseTimeDecay(0.1, decay_steps=8, decay_rate=2.0,
                                                 staircase=True),
    "cosine": S.CosineDecay(0.1, decay_steps=40),
    "cosine_alpha": S.CosineDecay(0.1, decay_steps=40, alpha=0.1),
    "cosine_warmup": S.CosineDecay(0.0, decay_steps=40, warmup_target=0.2, warmup_steps=10),
    "cosine_warmup_alpha": S.CosineDecay(0.05, decay_steps=30, alpha=0.2, warmup_target=0.1,
                                         warmup_steps=5),
    "cosine_restarts": S.CosineDecayRestarts(0.1, first_decay_steps=10),
    "cosine_restarts_mul": S.CosineDecayRestarts(0.1, first_decay_steps=8, t_mul=1.5, m_mul=0.7,
                                                 alpha=0.05),
    "cosine_restarts_t1": S.CosineDecayRestarts(0.1, first_decay_steps=6, t_mul=1.0, m_mul=0.5),
}
STEPS = np.array([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 20, 24, 25, 26, 29, 30, 31, 35,
                  39, 40, 41, 45, 50, 60, 61, 75, 90, 100, 150, 500, 1000], dtype="int64")
FLOAT_STEPS = np.array([0.5, 2.5, 9.9, 10.1, 33.3], dtype="float32")
ref.put("steps", STEPS)
ref.put("float_steps", FLOAT_STEPS)
for name, schedule in CASES.items():
    ref.put(f"{name}/values", np.array([float(schedule(int(s))) for s in STEPS], "float32"))
    ref.put(f"{name}/float_values",
            np.array([float(schedule(keras.ops.convert_to_tensor(s))) for s in FLOAT_STEPS],
                     "float32"))
    ref.put(f"{name}/serialized", np.array(json.dumps(S.serialize(schedule))))

# A schedule in an optimizer: the learning rate after 5 steps, and the weights.
variable = keras.Variable(np.ones((3,), "float32"))
optimizer = keras.optimizers.SGD(learning_rate=CASES["cosine_warmup"])
for _ in range(5):
    optimizer.apply([keras.ops.ones((3,))], [variable])
ref.put("in_optimizer/learning_rate", optimizer.learning_rate)
ref.put("in_optimizer/variable", variable)
ref.put("cases", np.array(list(CASES)))
ref.save()
