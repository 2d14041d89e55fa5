package main

// endOfInput is how a console user ends typed input.
const endOfInput = "Ctrl-Z 回车"
