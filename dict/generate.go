package dict

//go:generate go run ./internal/gendata -o data
