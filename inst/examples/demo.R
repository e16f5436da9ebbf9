# The first end-to-end example of the guide "Training & evaluation with the
# built-in methods", on Fashion-MNIST: build a functional model, train it with
# a validation set, evaluate it on the test set and predict.
#
# Run from the repository with `make demo`, or in R with
#   source(system.file("examples", "demo.R", package = "torkeras"))

library(torkeras)

# A functional model: 784 inputs, two hidden layers, 10 class probabilities.
inputs <- keras_input(shape = 784, name = "digits")
outputs <- inputs |>
  layer_dense(units = 64, activation = "relu", name = "dense_1") |>
  layer_dense(units = 64, activation = "relu", name = "dense_2") |>
  layer_dense(units = 10, activation = "softmax", name = "predictions")
model <- keras_model(inputs = inputs, outputs = outputs)
summary(model)

# Fashion-MNIST as R arrays: 28 x 28 images flattened to 784 values in [0, 1].
c(c(x_train, y_train), c(x_test, y_test)) %<-% dataset_fashion_mnist()
x_train <- array_reshape(x_train, c(60000, 784)) / 255
x_test <- array_reshape(x_test, c(10000, 784)) / 255

# Hold out the first 10,000 training samples for validation.
x_val <- x_train[1:10000, ]
y_val <- y_train[1:10000]
x_train <- x_train[-c(1:10000), ]
y_train <- y_train[-c(1:10000)]

model |> compile(
  optimizer = optimizer_rmsprop(),
  loss = loss_sparse_categorical_crossentropy(),
  metrics = list(metric_sparse_categorical_accuracy())
)

history <- model |> fit(
  x_train, y_train,
  batch_size = 64,
  epochs = 2,
  validation_data = list(x_val, y_val)
)
print(history)

results <- model |> evaluate(x_test, y_test, batch_size = 128)
print(results)

predictions <- model |> predict(x_test[1:2, ])
print(dim(predictions))
