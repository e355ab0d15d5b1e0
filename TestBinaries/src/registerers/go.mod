module example.com/registerers

go 1.19
