module example.com/z

go 1.21
