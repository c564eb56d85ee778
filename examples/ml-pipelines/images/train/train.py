print('training abalone')
