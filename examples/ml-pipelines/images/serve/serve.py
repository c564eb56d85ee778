print('serving abalone')
